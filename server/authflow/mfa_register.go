package authflow

import (
	"fmt"
	"net/http"

	"github.com/sigil-idp/sigil/server/mfa"
)

// showMFARegister renders the registration page of the chosen method
// (?method=kind) or of the strongest one the user may register.
func (h *Handler) showMFARegister(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	mc, ok := h.mfaPage(w, r, sr)
	if !ok {
		return
	}
	reg, rg := h.registration(w, r, sr, mc, r.URL.Query().Get("method"))
	if reg == nil {
		h.internalError(w, r, sr.flow, "MFA registration", fmt.Errorf("no registrable method at level %d", mc.plan.Level))
		return
	}
	reg.ShowRegistration(w, r, rg)
}

// submitMFARegister confirms a registration. Confirmed, it counts as the
// second factor of this sign-in and clears the admin's re-registration flag.
func (h *Handler) submitMFARegister(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	ctx := r.Context()
	mc, ok := h.mfaPage(w, r, sr)
	if !ok {
		return
	}
	reg, rg := h.registration(w, r, sr, mc, r.PostForm.Get("method"))
	if reg == nil {
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgStale)
		return
	}
	if wait := mfa.RetryAfter(mc.state, h.now()); wait > 0 {
		rg.Error, rg.Status = msgMFAThrottled(wait), http.StatusTooManyRequests
		reg.ShowRegistration(w, r, rg)
		return
	}
	res, err := reg.FinishRegistration(ctx, r, rg)
	if err != nil {
		h.internalError(w, r, sr.flow, "finish MFA registration", err)
		return
	}
	if !res.Verified {
		if h.mfaFailed(w, r, sr, res, reg.Info().Kind) {
			rg.Error, rg.Status = res.Message, http.StatusBadRequest
			reg.ShowRegistration(w, r, rg)
		}
		return
	}
	if mc.state.RegistrationRequired {
		if err := h.Store.SetMFARegistrationRequired(ctx, sr.tenant.ID, sr.flow.UserID, false); err != nil {
			h.internalError(w, r, sr.flow, "clear MFA re-registration flag", err)
			return
		}
	}
	h.mfaSucceeded(w, r, sr, mc, reg.Info())
}

// registration picks the registrar and builds its page's data.
func (h *Handler) registration(w http.ResponseWriter, r *http.Request, sr *stepRequest, mc *mfaContext, kind string) (mfa.Registrar, *mfa.Registration) {
	all := h.MFA.Registrars(max(mc.plan.Level, mfa.LevelMFA))
	if len(all) == 0 {
		all = h.MFA.Registrars(mfa.LevelMFA)
	}
	if len(all) == 0 {
		return nil, nil
	}
	chosen := all[0]
	for _, m := range all {
		if m.Info().Kind == kind {
			chosen = m
		}
	}
	rg := &mfa.Registration{Tenant: sr.tenant, User: mc.user, Form: h.mfaForm(w, r, sr, stepMFARegister, chosen.Info().Kind)}
	for _, m := range all {
		if m != chosen {
			rg.Alternatives = append(rg.Alternatives, mfa.Alternative{Label: m.Info().Label, URL: methodURL(sr, stepMFARegister, m.Info().Kind)})
		}
	}
	return chosen, rg
}
