package server

import (
	"errors"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/mfa/passkey"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

// mfaSet is the second-factor methods of the installation: the registry the
// sign-in and the security-info pages share, and the recovery codes the
// security-info pages generate.
type mfaSet struct {
	registry *mfa.Registry
	recovery *mfa.RecoveryCodes
	// accountKey keys the security-info pages' form tokens.
	accountKey []byte
}

// purposeAccountForms is the HKDF info of the security-info form-token key.
const purposeAccountForms = "sigil account form tokens v1"

// mfaMethods builds the methods, their secrets sealed under a key derived
// from the master secrets (keys.Sealer, purpose mfa.SealPurpose). Further
// methods (passkeys, approvers) are added to the registry here.
func mfaMethods(store storage.Storage, pages *page.Renderer, masters [][]byte, baseURL string) (*mfaSet, error) {
	sealer, err := keys.NewSealer(masters, mfa.SealPurpose)
	if err != nil {
		return nil, err
	}
	recovery := &mfa.RecoveryCodes{Store: store, Pages: pages}
	totp := &mfa.TOTP{Store: store, Pages: pages, Sealer: sealer}
	accountKey, err := derive(masters[0], purposeAccountForms, 32)
	if err != nil {
		return nil, err
	}
	methods := []mfa.Method{totp}
	passkeys, err := passkey.New(store, pages, baseURL)
	switch {
	case err == nil:
		methods = append(methods, passkeys)
	case !errors.Is(err, passkey.ErrUnavailable):
		return nil, err
	}
	methods = append(methods, recovery)
	return &mfaSet{registry: mfa.NewRegistry(methods...), recovery: recovery, accountKey: accountKey}, nil
}
