package bulk_test

import (
	"context"
	"errors"
	"strconv"

	"github.com/sigil-idp/sigil/server/bulk"
	"github.com/sigil-idp/sigil/server/requestid"
)

// requestIDFor is the correlation ID the worker gives a row's changes.
func requestIDFor(ctx context.Context, jobID string, row int) context.Context {
	return requestid.With(ctx, "bulk:"+jobID+":"+strconv.Itoa(row))
}

func asUploadError(err error, target **bulk.UploadError) bool { return errors.As(err, target) }
