package authflow

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
)

// showMFA renders the challenge of the chosen method (?method=kind), or of
// the user's strongest usable method.
func (h *Handler) showMFA(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	mc, ok := h.mfaPage(w, r, sr)
	if !ok {
		return
	}
	m, c := h.challenge(w, r, sr, mc, r.URL.Query().Get("method"))
	if m == nil {
		h.internalError(w, r, sr.flow, "MFA challenge", fmt.Errorf("no usable method at level %d", mc.plan.Level))
		return
	}
	if wait := mfa.RetryAfter(mc.state, h.now()); wait > 0 {
		c.Error = msgMFAThrottled(wait)
	}
	m.ShowChallenge(w, r, c)
}

// submitMFA checks an answer to the challenge. A throttled user is refused
// before the answer is looked at; a wrong answer counts against the throttle.
func (h *Handler) submitMFA(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	ctx := r.Context()
	mc, ok := h.mfaPage(w, r, sr)
	if !ok {
		return
	}
	m, c := h.challenge(w, r, sr, mc, r.PostForm.Get("method"))
	if m == nil {
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgStale)
		return
	}
	if wait := mfa.RetryAfter(mc.state, h.now()); wait > 0 {
		h.logFlow(ctx, slog.LevelWarn, "second factor throttled", sr.flow, "method", m.Info().Kind)
		c.Error = msgMFAThrottled(wait)
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		c.Status = http.StatusTooManyRequests
		m.ShowChallenge(w, r, c)
		return
	}
	res, err := m.VerifyChallenge(ctx, r, c)
	if err != nil {
		h.internalError(w, r, sr.flow, "verify second factor", err)
		return
	}
	if res.Verified {
		h.mfaSucceeded(w, r, sr, mc, m.Info())
		return
	}
	if !h.mfaFailed(w, r, sr, res, m.Info().Kind) {
		return
	}
	c.Error, c.Status = res.Message, http.StatusBadRequest
	m.ShowChallenge(w, r, c)
}

// mfaFailed counts a wrong answer; it reports false after answering the
// request itself (an internal error).
func (h *Handler) mfaFailed(w http.ResponseWriter, r *http.Request, sr *stepRequest, res mfa.Result, kind string) bool {
	if !res.Failure {
		return true
	}
	h.logFlow(r.Context(), slog.LevelInfo, "second factor refused", sr.flow, "method", kind)
	if _, err := h.Store.RecordMFAFailure(r.Context(), sr.tenant.ID, sr.flow.UserID, h.now()); err != nil {
		h.internalError(w, r, sr.flow, "record MFA failure", err)
		return false
	}
	return true
}

// mfaPage loads the MFA context for a page of the MFA phase.
func (h *Handler) mfaPage(w http.ResponseWriter, r *http.Request, sr *stepRequest) (*mfaContext, bool) {
	if h.MFA == nil || sr.flow.UserID == "" {
		h.Pages.Error(w, r, http.StatusConflict, titleSignIn, msgStale)
		return nil, false
	}
	mc, err := h.loadMFA(r.Context(), sr)
	if err != nil {
		h.internalError(w, r, sr.flow, "load MFA context", err)
		return nil, false
	}
	return mc, true
}

// challenge picks the method (the requested kind when the user can use it at
// the plan's level, else their strongest) and builds its challenge with the
// other usable methods as "use another method" links.
func (h *Handler) challenge(w http.ResponseWriter, r *http.Request, sr *stepRequest, mc *mfaContext, kind string) (mfa.Method, *mfa.Challenge) {
	usable := h.MFA.Usable(mc.registered, max(mc.plan.Level, mfa.LevelMFA))
	if len(usable) == 0 {
		return nil, nil
	}
	chosen := usable[0]
	for _, m := range usable {
		if m.Info().Kind == kind {
			chosen = m
		}
	}
	c := &mfa.Challenge{
		Tenant: sr.tenant, User: mc.user, Registered: mc.registered, FlowID: sr.flow.ID,
		Form: h.mfaForm(w, r, sr, stepMFA, chosen.Info().Kind),
	}
	for _, m := range usable {
		if m != chosen {
			c.Alternatives = append(c.Alternatives, mfa.Alternative{Label: m.Info().Label, URL: methodURL(sr, stepMFA, m.Info().Kind)})
		}
	}
	return chosen, c
}

// mfaForm is the form of an MFA page: it posts to the step with the flow,
// the CSRF token and the method kind.
func (h *Handler) mfaForm(w http.ResponseWriter, r *http.Request, sr *stepRequest, step, kind string) mfa.Form {
	secret := h.ensureCSRFSecret(w, r)
	return mfa.Form{Action: formAction(sr, step), Fields: []mfa.Field{
		{Name: "flow", Value: sr.flow.ID}, {Name: csrfField, Value: h.csrfToken(secret, sr.flow.ID, step)}, {Name: "method", Value: kind},
	}}
}

func methodURL(sr *stepRequest, step, kind string) string {
	return pageURL(sr, step) + "&method=" + url.QueryEscape(kind)
}

// msgMFAThrottled tells a throttled user how long to wait, in whole minutes
// or seconds.
func msgMFAThrottled(wait time.Duration) string {
	if wait >= time.Minute {
		return fmt.Sprintf("Too many incorrect codes. Try again in %d minutes.", int(wait.Minutes()+0.999))
	}
	return fmt.Sprintf("Too many incorrect codes. Try again in %d seconds.", int(wait.Seconds()+0.999))
}
