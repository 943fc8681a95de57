//go:build tools

package sigil

import (
	_ "github.com/coreos/go-oidc/v3/oidc"
	_ "github.com/glebarez/sqlite"
	_ "github.com/go-jose/go-jose/v3"
	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/google/uuid"
	_ "github.com/gorilla/securecookie"
	_ "github.com/gorilla/sessions"
	_ "github.com/jackc/pgx/v5/pgconn"
	_ "github.com/ory/fosite"
	_ "github.com/pressly/goose/v3"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/crypto/hkdf"
	_ "golang.org/x/oauth2"
	_ "gopkg.in/yaml.v3"
	_ "gorm.io/driver/postgres"
	_ "gorm.io/gorm"
)
