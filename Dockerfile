# syntax=docker/dockerfile:1

# Build a static binary: the embedded SQLite driver is pure Go, so no cgo.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
        -o /out/sigil ./cmd/sigil \
 && mkdir -p /out/data

# Run as the distroless non-root user (65532); CA certificates and tzdata included.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sigil /sigil
# /data belongs to the non-root user so a fresh volume is writable.
COPY --from=build --chown=65532:65532 /out/data /data
ENV SIGIL_DATA_DIR=/data \
    SIGIL_LISTEN=:8080
VOLUME /data
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/sigil"]
CMD ["serve"]
