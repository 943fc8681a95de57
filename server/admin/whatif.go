package admin

import (
	"errors"
	"net/http"
	"net/netip"
	"time"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/storage"
)

// whatIfRequest is the body of POST /identity/conditionalAccess/evaluate: a
// hypothetical sign-in (G-22). Exactly one of userId and servicePrincipalId.
type whatIfRequest struct {
	UserID             string `json:"userId"`
	ServicePrincipalID string `json:"servicePrincipalId"`
	AppID              string `json:"appId"`
	AdminResource      bool   `json:"adminResource"`
	UserAction         string `json:"userAction"`
	IPAddress          string `json:"ipAddress"`
	Country            string `json:"country"`
	DevicePlatform     string `json:"devicePlatform"`
	ClientAppType      string `json:"clientAppType"`
	SignInRiskLevel    string `json:"signInRiskLevel"`
	UserRiskLevel      string `json:"userRiskLevel"`
	AuthenticationFlow string `json:"authenticationFlow"`
	// AuthenticationStrength is what the user has done so far: "password"
	// (default), "mfa", "passwordlessMfa" or "phishingResistantMfa".
	AuthenticationStrength string `json:"authenticationStrength"`
	UnfamiliarSignIn       bool   `json:"unfamiliarSignIn"`
}

var whatIfLevels = map[string]mfa.Level{
	"": mfa.LevelSingleFactor, "password": mfa.LevelSingleFactor, "mfa": mfa.LevelMFA,
	"passwordlessMfa": mfa.LevelPasswordlessMFA, "phishingResistantMfa": mfa.LevelPhishingResistantMFA,
}

// whatIf evaluates a hypothetical sign-in with the same code as a real one
// (server/access gathers the user's groups, roles, terms and risk as for a
// sign-in) and returns every policy's result with its reasons, the
// security defaults' result and the resulting controls.
func (h *Handler) whatIf(w http.ResponseWriter, r *http.Request, c Caller) error {
	var in whatIfRequest
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	tenant, err := h.Store.GetTenant(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	a, err := h.whatIfAttempt(r, tenant, in)
	if err != nil {
		return err
	}
	sig, err := h.Evaluator.Signals(r.Context(), a)
	if err != nil {
		return err
	}
	if in.Country != "" {
		sig.Country = in.Country
	}
	if in.DevicePlatform != "" {
		sig.Platform = in.DevicePlatform
	}
	if in.UserRiskLevel != "" {
		sig.UserRisk = in.UserRiskLevel
	}
	ev, err := h.Evaluator.EvaluateSignals(r.Context(), tenant, sig)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, whatIfJSON(ev))
	return nil
}

func (h *Handler) whatIfAttempt(r *http.Request, tenant *storage.Tenant, in whatIfRequest) (access.Attempt, error) {
	level, ok := whatIfLevels[in.AuthenticationStrength]
	if !ok {
		return access.Attempt{}, badRequest("authenticationStrength: must be password, mfa, passwordlessMfa or phishingResistantMfa")
	}
	a := access.Attempt{Tenant: tenant, AppID: in.AppID, AdminResource: in.AdminResource, UserAction: in.UserAction,
		ClientAppType: orDefault(in.ClientAppType, policy.ClientBrowser), AuthFlow: in.AuthenticationFlow, Level: level,
		HasMethods: level >= mfa.LevelMFA, FreshAuth: true, AuthTime: time.Now().UTC(),
		Facts: access.Facts{Risk: orDefault(in.SignInRiskLevel, policy.RiskNone), Unfamiliar: in.UnfamiliarSignIn}}
	if in.IPAddress != "" {
		addr, err := netip.ParseAddr(in.IPAddress)
		if err != nil {
			return a, badRequest("ipAddress: not an IP address")
		}
		a.Addr = addr
	}
	switch {
	case (in.UserID == "") == (in.ServicePrincipalID == ""):
		return a, badRequest("Name exactly one of userId and servicePrincipalId.")
	case in.ServicePrincipalID != "":
		app, err := h.Store.GetApplication(r.Context(), in.ServicePrincipalID)
		if err == nil && app.TenantID != tenant.ID {
			err = storage.ErrNotFound
		}
		if err != nil {
			return a, err
		}
		a.AppID, a.ClientAppType = app.ID, ""
		return a, nil
	}
	u, err := h.Store.GetUser(r.Context(), tenant.ID, in.UserID)
	if errors.Is(err, storage.ErrNotFound) {
		u, err = h.Store.GetUserByUPN(r.Context(), tenant.ID, in.UserID)
	}
	if err != nil {
		return a, err
	}
	if !a.HasMethods {
		reg, err := mfa.LoadRegistered(r.Context(), h.Store, tenant.ID, u.ID)
		if err != nil {
			return a, err
		}
		a.HasMethods = reg.HasAny()
	}
	a.User = u
	return a, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// whatIfJSON lists every policy as applied, not applied or report-only with
// its reasons, and the controls the sign-in would face.
func whatIfJSON(ev *access.Evaluation) map[string]any {
	d := ev.Decision
	policies := make([]map[string]any, 0, len(d.Results))
	for _, res := range d.Results {
		policies = append(policies, map[string]any{"id": res.PolicyID, "displayName": res.DisplayName, "state": res.State,
			"result": res.Outcome, "analysisReasons": res.Reasons, "enforcedGrantControls": res.EnforcedGrantControls,
			"enforcedSessionControls": res.EnforcedSessionControls})
	}
	controls := map[string]any{"block": d.Block, "requireRegistration": d.RequireRegistration,
		"requireAuthenticationStrength": d.RequireLevel.ACR(), "termsOfUse": orEmpty(d.TermsOfUse),
		"passwordChange": d.PasswordChange, "persistentBrowser": d.PersistentBrowser}
	if d.Block {
		controls["blockedBy"], controls["reason"] = d.BlockedBy, d.Reason
	}
	switch f := d.SignInFrequency; {
	case f == policy.EveryTime:
		controls["signInFrequency"] = "everyTime"
	case f > 0:
		controls["signInFrequency"] = f.String()
	}
	out := map[string]any{"value": policies, "controls": controls, "conditionalAccessStatus": d.Status()}
	if d.SecurityDefaults != nil {
		out["securityDefaults"] = map[string]any{"result": d.SecurityDefaults.Outcome, "analysisReasons": d.SecurityDefaults.Reasons}
	}
	return out
}
