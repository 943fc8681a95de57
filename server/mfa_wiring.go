package server

import (
	"errors"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/mfa/approver"
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
	// approverKey keys the approver page's form tokens.
	approverKey []byte
	// passwordless is the passwordless sign-in (passkeys); nil when the
	// public URL's host is an IP address.
	passwordless mfa.PasswordlessMethod
}

// purposeAccountForms is the HKDF info of the security-info form-token key.
const purposeAccountForms = "sigil account form tokens v1"

// purposeApproverForms is the HKDF info of the approver page's token key.
const purposeApproverForms = "sigil approver form tokens v1"

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
	approverKey, err := derive(masters[0], purposeApproverForms, 32)
	if err != nil {
		return nil, err
	}
	set := &mfaSet{}
	methods := []mfa.Method{totp, &approver.Approvals{Store: store, Pages: pages}}
	passkeys, err := passkey.New(store, pages, baseURL)
	switch {
	case err == nil:
		methods = append(methods, passkeys)
		set.passwordless = passkeys
	case !errors.Is(err, passkey.ErrUnavailable):
		return nil, err
	}
	methods = append(methods, recovery)
	set.registry, set.recovery, set.accountKey, set.approverKey = mfa.NewRegistry(methods...), recovery, accountKey, approverKey
	return set, nil
}
