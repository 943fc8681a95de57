package mfa

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image/png"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/pquerna/otp"

	"github.com/sigil-idp/sigil/storage"
)

// maxMethodName bounds the name a user gives a method.
const maxMethodName = 64

// totpRegisterView is the data of the mfa_totp_register page.
type totpRegisterView struct {
	Registration *Registration
	PendingID    string
	// QR is the otpauth:// URI as a PNG data: URL (CSP img-src allows data:).
	QR template.URL
	// Key is the secret in groups of four for typing by hand.
	Key     string
	Account string
	Error   string
}

// ShowRegistration draws a new secret, stores it sealed as an unconfirmed
// method (replacing the user's earlier unconfirmed ones) and shows it as a QR
// code and as text.
//
// Shown again after a wrong first code (the form carries "pending"), it keeps
// the secret the user already scanned.
func (t *TOTP) ShowRegistration(w http.ResponseWriter, r *http.Request, reg *Registration) {
	v, err := t.pendingView(r.Context(), reg, r.PostFormValue("pending"))
	if err == nil && v == nil {
		v, err = t.newPending(r.Context(), reg)
	}
	if err != nil {
		slog.ErrorContext(r.Context(), "start TOTP registration", "user_id", reg.User.ID, "err", err)
		t.Pages.Error(w, r, http.StatusInternalServerError, "We couldn't set up your app", "Something went wrong on our side. Please try again in a moment.")
		return
	}
	t.Pages.Render(w, r, StatusOr(reg.Status), "mfa_totp_register", v)
}

// FinishRegistration confirms the pending method named by the form with a
// first code, which also counts as this sign-in's second factor.
func (t *TOTP) FinishRegistration(ctx context.Context, r *http.Request, reg *Registration) (Result, error) {
	pending, err := t.Store.GetAuthMethod(ctx, reg.Tenant.ID, reg.User.ID, r.PostForm.Get("pending"))
	if errors.Is(err, storage.ErrNotFound) || err == nil && (pending.Kind != KindTOTP || pending.Confirmed ||
		t.now().Sub(pending.CreatedAt) > pendingTOTPLifetime) {
		return Result{Message: msgRegExpired}, nil
	}
	if err != nil {
		return Result{}, fmt.Errorf("mfa: load pending TOTP method: %w", err)
	}
	code, ok := normalizeCode(r.PostForm.Get("code"))
	if !ok {
		return Result{Message: msgEnterCode}, nil
	}
	now := t.now()
	step, matched, err := t.match(pending, code, now)
	if err != nil || !matched {
		return Result{Message: msgWrongCode, Failure: true}, err
	}
	if err := t.Store.AdvanceTOTPStep(ctx, pending.TenantID, pending.UserID, pending.ID, step, now); err != nil {
		return Result{Message: msgReusedCode, Failure: true}, ignoreConflict(err)
	}
	pending.Confirmed = true
	pending.LastUsedAt = &now
	pending.Name = methodName(r.PostForm.Get("name"), defaultTOTPTag)
	if err := t.Store.UpdateAuthMethod(ctx, pending); err != nil {
		return Result{}, fmt.Errorf("mfa: confirm TOTP method: %w", err)
	}
	return Result{Verified: true, MethodID: pending.ID}, nil
}

func ignoreConflict(err error) error {
	if errors.Is(err, storage.ErrConflict) {
		return nil
	}
	return err
}

// newPending stores a fresh sealed secret as an unconfirmed method.
func (t *TOTP) newPending(ctx context.Context, reg *Registration) (*totpRegisterView, error) {
	raw := make([]byte, totpSecretBytes)
	_, _ = rand.Read(raw)
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
	m := &storage.AuthMethod{ID: uuid.NewString(), TenantID: reg.Tenant.ID, UserID: reg.User.ID, Kind: KindTOTP, CreatedAt: t.now()}
	m.Secret = t.Sealer.Seal([]byte(secret), m.TenantID, m.ID)
	err := t.Store.InTx(ctx, func(ctx context.Context) error {
		if err := t.dropPending(ctx, reg); err != nil {
			return err
		}
		return t.Store.CreateAuthMethod(ctx, m)
	})
	if err != nil {
		return nil, err
	}
	return registerView(reg, m.ID, secret)
}

// pendingView rebuilds the page of a pending registration that is still
// valid, or returns nil.
func (t *TOTP) pendingView(ctx context.Context, reg *Registration, id string) (*totpRegisterView, error) {
	if id == "" {
		return nil, nil
	}
	m, err := t.Store.GetAuthMethod(ctx, reg.Tenant.ID, reg.User.ID, id)
	if errors.Is(err, storage.ErrNotFound) || err == nil && (m.Kind != KindTOTP || m.Confirmed ||
		t.now().Sub(m.CreatedAt) > pendingTOTPLifetime) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	secret, err := t.Sealer.Open(m.Secret, m.TenantID, m.ID)
	if err != nil {
		return nil, err
	}
	return registerView(reg, m.ID, string(secret))
}

func registerView(reg *Registration, pendingID, secret string) (*totpRegisterView, error) {
	issuer := reg.Tenant.DisplayName
	key, err := otp.NewKeyFromURL(otpauthURL(issuer, reg.User.UserPrincipalName, secret))
	if err != nil {
		return nil, err
	}
	qr, err := qrDataURL(key)
	if err != nil {
		return nil, err
	}
	return &totpRegisterView{Registration: reg, PendingID: pendingID, QR: qr, Key: groupsOfFour(secret),
		Account: reg.User.UserPrincipalName, Error: reg.Error}, nil
}

// dropPending deletes the user's unconfirmed TOTP methods.
func (t *TOTP) dropPending(ctx context.Context, reg *Registration) error {
	ms, err := t.Store.ListAuthMethods(ctx, reg.Tenant.ID, reg.User.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Kind == KindTOTP && !m.Confirmed {
			if err := t.Store.DeleteAuthMethod(ctx, m.TenantID, m.UserID, m.ID); err != nil && !errors.Is(err, storage.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// otpauthURL is the Key URI Format authenticator apps scan.
func otpauthURL(issuer, account, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + q.Encode()
}

// qrDataURL renders the key's URI as a QR code PNG in a data: URL.
func qrDataURL(key *otp.Key) (template.URL, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return "", fmt.Errorf("mfa: draw QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("mfa: encode QR code: %w", err)
	}
	// The content is our own PNG, so marking it safe for a src attribute is sound.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

func groupsOfFour(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// methodName trims the user's name for a method, or returns the default.
func methodName(s, def string) string {
	s = strings.TrimSpace(s)
	if s == "" || !utf8.ValidString(s) {
		return def
	}
	if utf8.RuneCountInString(s) > maxMethodName {
		s = string([]rune(s)[:maxMethodName])
	}
	return s
}
