package op

import (
	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/storage"
)

// forResource makes the tenant's built-in admin resource the audience of an
// access token when the client asked for it with the audience parameter
// (server/admin accepts only such tokens).
func (c *AccessClaims) forResource(audience fosite.Arguments) {
	if audience.Has(storage.AdminResourceID) {
		c.Audience = []string{storage.AdminResourceID}
	}
}
