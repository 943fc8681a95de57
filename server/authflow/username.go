package authflow

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxUsernameLength bounds a typed sign-in name (a UPN is at most 113
// characters in Entra; this leaves room without inviting abuse).
const maxUsernameLength = 256

const msgBadUsername = "Enter a valid sign-in name, for example alex@contoso.com."

// formView is what every step's form needs.
type formView struct {
	Action    string
	FlowID    string
	CSRFToken string
	AppName   string
	Username  string
	Error     string
	// PasskeyURL, on the username page, offers passwordless sign-in.
	PasskeyURL string
}

// newFormView fills the fields common to every step's form, minting the
// browser's CSRF secret if it came without one.
func (h *Handler) newFormView(w http.ResponseWriter, r *http.Request, sr *stepRequest, step string) formView {
	secret := h.ensureCSRFSecret(w, r)
	v := formView{
		Action:    formAction(sr, step),
		FlowID:    sr.flow.ID,
		CSRFToken: h.csrfToken(secret, sr.flow.ID, step),
		Username:  sr.flow.LoginHint,
	}
	if app, err := h.Authorizer.Client(r.Context(), sr.flow.ClientID); err == nil {
		v.AppName = app.DisplayName
	}
	return v
}

// showUsername asks for the sign-in name, pre-filled from login_hint (or from
// the signed-in user when re-authenticating).
func (h *Handler) showUsername(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	if h.Passwordless != nil && r.URL.Query().Get(paramPasskey) == "1" {
		h.showPasswordless(w, r, sr, "", 0)
		return
	}
	v := h.newFormView(w, r, sr, stepUsername)
	if h.Passwordless != nil {
		v.PasskeyURL = pageURL(sr, stepUsername) + "&" + paramPasskey + "=1"
	}
	h.Pages.Render(w, r, http.StatusOK, stepUsername, v)
}

// submitUsername stores the typed name and moves on to the password for every
// well-formed name: it looks nothing up, so it cannot tell whether an account
// exists.
func (h *Handler) submitUsername(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	if h.Passwordless != nil && r.PostForm.Has("credential") {
		h.submitPasswordless(w, r, sr)
		return
	}
	typed := r.PostForm.Get("username")
	name, ok := normalizeUsername(typed)
	if !ok {
		v := h.newFormView(w, r, sr, stepUsername)
		v.Username, v.Error = truncate(strings.TrimSpace(typed), maxUsernameLength), msgBadUsername
		h.Pages.Render(w, r, http.StatusBadRequest, stepUsername, v)
		return
	}
	flow := sr.flow
	prev := flow.UpdatedAt
	flow.LoginHint = name
	if !h.saveFlow(w, r, flow, prev) {
		return
	}
	h.finishStep(w, r, sr)
}

// normalizeUsername trims the typed name and accepts it when it is 1 to
// maxUsernameLength characters of valid UTF-8 without spaces or control
// characters.
func normalizeUsername(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxUsernameLength || !utf8.ValidString(s) {
		return "", false
	}
	for _, c := range s {
		if unicode.IsSpace(c) || unicode.IsControl(c) {
			return "", false
		}
	}
	return s, true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// finishStep sends the browser back to the dispatcher with the verifier of the
// flow's current step.
func (h *Handler) finishStep(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	flow := sr.flow
	v := h.verifier(flow.ID, flow.Step, flow.StepNonce)
	http.Redirect(w, r, dispatcherURL(sr, v), http.StatusSeeOther)
}
