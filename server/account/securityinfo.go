package account

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

// securityInfoView is the data of the security_info page.
type securityInfoView struct {
	Account      string
	Methods      []methodRow
	Add          []mfa.Alternative
	Recovery     int // unused recovery codes
	RemoveAction string
	RemoveToken  string
	RenameAction string
	RenameToken  string
	CodesAction  string
	CodesToken   string
	Notice       string
}

// methodRow is one registered method in the list.
type methodRow struct {
	ID, Title, Name, Added, LastUsed string
}

// Notices shown after a change (?done=…); anything else shows nothing.
var notices = map[string]string{
	"added":   "Your sign-in method was added.",
	"removed": "Your sign-in method was removed.",
}

// showSecurityInfo lists the user's methods with what they can do next.
func (h *Handler) showSecurityInfo(w http.ResponseWriter, r *http.Request, ar *request) {
	v := securityInfoView{
		Account: ar.user.UserPrincipalName, Recovery: ar.registered.RecoveryCodes,
		RemoveAction: h.pagePath(ar, "remove"), CodesAction: h.pagePath(ar, "recovery-codes"),
		Notice: notices[r.URL.Query().Get("done")],
	}
	v.RemoveToken, v.CodesToken = h.token(ar, v.RemoveAction), h.token(ar, v.CodesAction)
	v.RenameAction = h.pagePath(ar, "rename")
	v.RenameToken = h.token(ar, v.RenameAction)
	for _, m := range ar.registered.Methods {
		if !m.Confirmed {
			continue
		}
		row := methodRow{ID: m.ID, Title: m.Kind, Name: m.Name, Added: day(m.CreatedAt)}
		if method, ok := h.MFA.Method(m.Kind); ok {
			row.Title = method.Info().Title
		}
		if m.LastUsedAt != nil {
			row.LastUsed = day(*m.LastUsedAt)
		}
		v.Methods = append(v.Methods, row)
	}
	for _, reg := range h.MFA.Registrars(mfa.LevelNone) {
		q := url.Values{"method": {reg.Info().Kind}}
		v.Add = append(v.Add, mfa.Alternative{Label: reg.Info().Title, URL: h.pagePath(ar, "add") + "?" + q.Encode()})
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Pages.Render(w, r, http.StatusOK, "security_info", v)
}

// showAdd shows the registration page of a method, after a fresh sign-in.
func (h *Handler) showAdd(w http.ResponseWriter, r *http.Request, ar *request) {
	if !h.fresh(ar) {
		h.reauthenticate(w, r, ar)
		return
	}
	reg, rg := h.registration(ar, r.URL.Query().Get("method"))
	if reg == nil {
		h.Pages.Error(w, r, http.StatusNotFound, titleAccount, msgStale)
		return
	}
	reg.ShowRegistration(w, r, rg)
}

// submitAdd confirms a registration ("register security info"); wrong codes
// count against the user's MFA throttle like at sign-in.
func (h *Handler) submitAdd(w http.ResponseWriter, r *http.Request, ar *request) {
	if !h.fresh(ar) {
		h.reauthenticate(w, r, ar)
		return
	}
	reg, rg := h.registration(ar, r.PostForm.Get("method"))
	if reg == nil {
		h.Pages.Error(w, r, http.StatusBadRequest, titleAccount, msgStale)
		return
	}
	ctx := r.Context()
	st, err := h.Store.GetMFAState(ctx, ar.tenant.ID, ar.user.ID)
	if err != nil {
		h.internal(w, r, "load MFA state", err)
		return
	}
	if wait := mfa.RetryAfter(st, h.now()); wait > 0 {
		rg.Error, rg.Status = "Too many incorrect codes. Try again later.", http.StatusTooManyRequests
		reg.ShowRegistration(w, r, rg)
		return
	}
	res, err := reg.FinishRegistration(ctx, r, rg)
	if err != nil {
		h.internal(w, r, "finish registration", err)
		return
	}
	if !res.Verified {
		h.registrationFailed(w, r, ar, reg, rg, res)
		return
	}
	if err := h.registered(r, ar, st, reg.Info()); err != nil {
		h.internal(w, r, "record the registration", err)
		return
	}
	http.Redirect(w, r, h.pagePath(ar, "")+"?done=added", http.StatusSeeOther)
}

// registered clears the re-registration flag and counts the registration's
// proof (the first code) as a second factor of the session, as at sign-in.
func (h *Handler) registered(r *http.Request, ar *request, st *storage.MFAState, info mfa.Info) error {
	ctx := r.Context()
	if st.RegistrationRequired {
		if err := h.Store.SetMFARegistrationRequired(ctx, ar.tenant.ID, ar.user.ID, false); err != nil {
			return err
		}
	}
	current := max(mfa.LevelOf(ar.session.ACR), mfa.LevelSingleFactor)
	if current >= info.Level {
		return nil
	}
	amr := mfa.AMR(ar.session.AMR, info.AMR, info.Level)
	return h.Store.UpdateBrowserSessionAuth(ctx, ar.session.ID, h.now(), amr, info.Level.ACR())
}

func (h *Handler) registrationFailed(w http.ResponseWriter, r *http.Request, ar *request, reg mfa.Registrar, rg *mfa.Registration, res mfa.Result) {
	if res.Failure {
		if _, err := h.Store.RecordMFAFailure(r.Context(), ar.tenant.ID, ar.user.ID, h.now()); err != nil {
			h.internal(w, r, "record MFA failure", err)
			return
		}
	}
	rg.Error, rg.Status = res.Message, http.StatusBadRequest
	reg.ShowRegistration(w, r, rg)
}

// registration builds the registration page of the chosen kind.
func (h *Handler) registration(ar *request, kind string) (mfa.Registrar, *mfa.Registration) {
	for _, reg := range h.MFA.Registrars(mfa.LevelNone) {
		if reg.Info().Kind != kind {
			continue
		}
		action := h.pagePath(ar, "add")
		return reg, &mfa.Registration{
			Tenant: ar.tenant, User: ar.user, CancelURL: h.pagePath(ar, ""),
			Form: mfa.Form{Action: action, Fields: []mfa.Field{{Name: "csrf_token", Value: h.token(ar, action)}, {Name: "method", Value: kind}}},
		}
	}
	return nil, nil
}

// submitRemove removes one of the user's methods, after a fresh sign-in.
func (h *Handler) submitRemove(w http.ResponseWriter, r *http.Request, ar *request) {
	if !h.fresh(ar) {
		h.reauthenticate(w, r, ar)
		return
	}
	err := h.Store.DeleteAuthMethod(r.Context(), ar.tenant.ID, ar.user.ID, r.PostForm.Get("id"))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		h.Pages.Error(w, r, http.StatusNotFound, titleAccount, msgStale)
	case err != nil:
		h.internal(w, r, "remove method", err)
	default:
		http.Redirect(w, r, h.pagePath(ar, "")+"?done=removed", http.StatusSeeOther)
	}
}

// codesView is the data of the security_info_codes page.
type codesView struct {
	Account string
	Codes   []string
	BackURL string
}

// submitRecoveryCodes replaces the user's recovery codes and shows the new
// ones, once, in this response: they are stored only as digests.
func (h *Handler) submitRecoveryCodes(w http.ResponseWriter, r *http.Request, ar *request) {
	if !h.fresh(ar) {
		h.reauthenticate(w, r, ar)
		return
	}
	codes, err := h.Recovery.Generate(r.Context(), ar.tenant.ID, ar.user.ID)
	if err != nil {
		h.internal(w, r, "generate recovery codes", err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Pages.Render(w, r, http.StatusOK, "security_info_codes", codesView{Account: ar.user.UserPrincipalName, Codes: codes, BackURL: h.pagePath(ar, "")})
}

func day(t time.Time) string { return t.UTC().Format("2 Jan 2006") }
