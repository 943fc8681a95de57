package policy

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
)

// Evaluate decides what a sign-in must do. It is pure and deterministic:
// the same Input always gives the same Decision, and no input makes it panic.
func Evaluate(in Input) Decision {
	e := newEvaluation(in)
	var d Decision
	if in.SecurityDefaults {
		r := e.securityDefaults(&d)
		d.SecurityDefaults = &r
	}
	d.Results = make([]Result, 0, len(in.Policies))
	for i := range in.Policies {
		d.Results = append(d.Results, e.policy(&in.Policies[i], &d))
	}
	slices.Sort(d.TermsOfUse)
	d.TermsOfUse = slices.Compact(d.TermsOfUse)
	return d
}

// evaluation holds the signals in the shapes the conditions look them up in,
// built once per Evaluate.
type evaluation struct {
	s         Signals
	groups    map[string]struct{}
	roles     map[string]struct{}
	accepted  map[string]struct{}
	locations map[string]*NamedLocation
	risk      string
	userRisk  string
	checks    []func(*Conditions) (bool, string)
	// targets are the sign-in's resources; reasons is an arena the
	// policies' traces are cut from, so a trace costs no allocation of its
	// own.
	targets []string
	reasons []string
	// included and where are trace texts every policy would build alike.
	included map[string]string
	where    string
}

// keep copies a trace into the reasons arena.
func (e *evaluation) keep(s []string) []string {
	return append(e.take(len(s)), s...)
}

// take cuts a slice of capacity n from the reasons arena.
func (e *evaluation) take(n int) []string {
	if len(e.reasons)+n > cap(e.reasons) {
		e.reasons = make([]string, 0, max(n, 1024))
	}
	start := len(e.reasons)
	e.reasons = e.reasons[:start+n]
	return e.reasons[start : start : start+n]
}

func newEvaluation(in Input) *evaluation {
	e := &evaluation{s: in.Signals, groups: set(in.Signals.GroupIDs), roles: set(in.Signals.RoleIDs),
		accepted: set(in.Signals.AcceptedTerms), locations: make(map[string]*NamedLocation, len(in.Locations)),
		risk: orNone(in.Signals.SignInRisk), userRisk: orNone(in.Signals.UserRisk)}
	for i := range in.Locations {
		e.locations[in.Locations[i].ID] = &in.Locations[i]
	}
	e.targets = []string{in.Signals.AppID}
	if in.Signals.AdminResource {
		e.targets = append(e.targets, AdminResourceID)
	}
	e.included = make(map[string]string, len(e.targets))
	for _, t := range e.targets {
		e.included[t] = "resources: " + t + " is included"
	}
	e.where = in.Signals.IP.String()
	if in.Signals.Country != "" {
		e.where += " (" + in.Signals.Country + ")"
	}
	e.reasons = make([]string, 0, reasonsPerPolicy*len(in.Policies)+16)
	e.checks = []func(*Conditions) (bool, string){
		e.principal, e.resources, e.clientAppTypes, e.locationsCondition, e.platforms,
		e.signInRisk, e.userRiskCondition, e.authenticationFlows,
	}
	return e
}

func set(items []string) map[string]struct{} {
	m := make(map[string]struct{}, len(items))
	for _, it := range items {
		m[it] = struct{}{}
	}
	return m
}

func orNone(level string) string {
	if level == "" {
		return RiskNone
	}
	return level
}

// policy evaluates one policy and, when it is enforced and applies, merges
// its demands into d.
func (e *evaluation) policy(p *Policy, d *Decision) Result {
	r := Result{PolicyID: p.ID, DisplayName: p.DisplayName, State: p.State,
		EnforcedGrantControls: []string{}, EnforcedSessionControls: []string{}}
	reportOnly := p.State == StateReportOnly
	if p.State != StateEnabled && !reportOnly {
		r.Outcome, r.Reasons = OutcomeNotEnabled, []string{"the policy is " + p.State}
		return r
	}
	var local [conditionReasons + 8]string
	applies, reasons := e.conditions(&p.Conditions, local[:0])
	if !applies {
		r.Reasons = e.keep(reasons)
		r.Outcome = pick(reportOnly, OutcomeReportOnlyNotApplied, OutcomeNotApplied)
		return r
	}
	g := e.grant(p.GrantControls)
	sess := e.session(p.SessionControls)
	reasons = append(reasons, g.reasons...)
	r.Reasons = e.keep(append(reasons, sess.reasons...))
	r.EnforcedGrantControls, r.EnforcedSessionControls = g.names, sess.names
	switch {
	case g.block:
		r.Outcome = pick(reportOnly, OutcomeReportOnlyFailure, OutcomeFailure)
	case g.satisfied && !sess.reauthenticate:
		r.Outcome = pick(reportOnly, OutcomeReportOnlySuccess, OutcomeSuccess)
	default:
		r.Outcome = pick(reportOnly, OutcomeReportOnlyInterrupted, OutcomeFailure)
	}
	if !reportOnly {
		e.merge(d, p, g, sess)
	}
	return r
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// merge adds an enforced, applying policy's demands to d: the most
// restrictive result wins and a block beats everything.
func (e *evaluation) merge(d *Decision, p *Policy, g grantResult, sess sessionResult) {
	if g.block && !d.Block {
		d.Block, d.BlockedBy = true, p.ID
		d.Reason = "Access has been blocked by the Conditional Access policy \"" + p.DisplayName + "\"."
	}
	if !g.satisfied && !g.block {
		for _, c := range g.needed {
			d.RequireLevel = max(d.RequireLevel, c.level)
			if c.terms != "" {
				d.TermsOfUse = append(d.TermsOfUse, c.terms)
			}
			d.PasswordChange = d.PasswordChange || c.passwordChange
		}
	}
	if sess.frequency != 0 {
		switch {
		case d.SignInFrequency == 0, sess.frequency == EveryTime:
			d.SignInFrequency = sess.frequency
		case d.SignInFrequency != EveryTime:
			d.SignInFrequency = min(d.SignInFrequency, sess.frequency)
		}
	}
	d.Reauthenticate = d.Reauthenticate || sess.reauthenticate
	if sess.persistent != "" && d.PersistentBrowser != "never" {
		d.PersistentBrowser = sess.persistent
	}
}

// conditions reports whether every condition the policy sets matches, with
// one reason per condition evaluated (up to the first that does not match).
func (e *evaluation) conditions(c *Conditions, reasons []string) (bool, []string) {
	for _, check := range e.checks {
		ok, reason := check(c)
		if reason != "" {
			reasons = append(reasons, reason)
		}
		if !ok {
			return false, reasons
		}
	}
	return true, reasons
}

// principal matches users (for a user sign-in) or client applications (for
// a workload identity).
func (e *evaluation) principal(c *Conditions) (bool, string) {
	if e.s.Workload {
		return e.workload(c.ClientApplications)
	}
	return e.users(c.Users)
}

func (e *evaluation) workload(c *ClientApplicationsCondition) (bool, string) {
	if c == nil || len(c.IncludeServicePrincipals) == 0 {
		return false, "users: the policy targets users, not workload identities"
	}
	if slices.Contains(c.ExcludeServicePrincipals, e.s.AppID) {
		return false, "workload identities: " + e.s.AppID + " is excluded"
	}
	if slices.Contains(c.IncludeServicePrincipals, ServicePrincipalsInMyTenant) {
		return true, "workload identities: included (all service principals)"
	}
	if slices.Contains(c.IncludeServicePrincipals, e.s.AppID) {
		return true, "workload identities: " + e.s.AppID + " is included"
	}
	return false, "workload identities: " + e.s.AppID + " is not included"
}

func (e *evaluation) users(u *UsersCondition) (bool, string) {
	if u == nil {
		return false, "users: the policy targets workload identities, not users"
	}
	if kind, id := e.userMatch(u.ExcludeUsers, u.ExcludeGroups, u.ExcludeRoles); kind != "" {
		return false, "users: excluded (" + kind + id + ")"
	}
	if kind, id := e.userMatch(u.IncludeUsers, u.IncludeGroups, u.IncludeRoles); kind != "" {
		return true, "users: included (" + kind + id + ")"
	}
	return false, "users: not included"
}

// userMatch says which of the lists names the user, as a kind and an ID
// ("" when none does).
func (e *evaluation) userMatch(users, groups, roles []string) (kind, id string) {
	for _, id := range users {
		switch {
		case id == All:
			return "all users", ""
		case id == GuestsOrExternalUsers && e.s.Guest:
			return "guests and external users", ""
		case id == e.s.UserID && id != "":
			return "user ", id
		}
	}
	for _, id := range groups {
		if _, ok := e.groups[id]; ok {
			return "member of group ", id
		}
	}
	for _, id := range roles {
		if _, ok := e.roles[id]; ok {
			return "holds role ", id
		}
	}
	return "", ""
}

// resources matches the target: the user action, or the application and
// the admin resource the token is for.
func (e *evaluation) resources(c *Conditions) (bool, string) {
	a := c.Applications
	if a == nil {
		if e.s.Workload {
			return true, "resources: all (not set)"
		}
		return false, "resources: not set"
	}
	if len(a.IncludeUserActions) > 0 || e.s.UserAction != "" {
		if e.s.UserAction != "" && slices.Contains(a.IncludeUserActions, e.s.UserAction) {
			return true, "user action: " + e.s.UserAction + " is included"
		}
		if e.s.UserAction == "" {
			return false, "user actions: the sign-in is to an application, not a user action"
		}
		return false, "user actions: " + e.s.UserAction + " is not included"
	}
	for _, res := range e.targets {
		if slices.ContainsFunc(a.ExcludeApplications, func(id string) bool { return appMatches(id, res) }) {
			continue
		}
		if slices.ContainsFunc(a.IncludeApplications, func(id string) bool { return appMatches(id, res) }) {
			return true, e.included[res]
		}
	}
	return false, "resources: " + strings.Join(e.targets, ", ") + " not included or excluded"
}

func appMatches(id, resource string) bool {
	switch id {
	case All:
		return true
	case AdminPortals:
		return resource == AdminResourceID
	}
	return id == resource && id != ""
}

func (e *evaluation) clientAppTypes(c *Conditions) (bool, string) {
	types := c.ClientAppTypes
	if len(types) == 0 || slices.Contains(types, ClientAll) {
		return true, ""
	}
	got := e.s.ClientAppType
	if slices.Contains(types, got) || got == ClientExchangeActiveSync && slices.Contains(types, ClientEASSupported) {
		return true, "client app: " + got + " is included"
	}
	return false, "client app: " + got + " is not included"
}

func (e *evaluation) locationsCondition(c *Conditions) (bool, string) {
	l := c.Locations
	if l == nil || len(l.IncludeLocations) == 0 && len(l.ExcludeLocations) == 0 {
		return true, ""
	}
	where := e.where
	for _, id := range l.ExcludeLocations {
		if e.inLocation(id) {
			return false, "locations: " + where + " is in excluded location " + e.locationName(id)
		}
	}
	if len(l.IncludeLocations) == 0 {
		return true, "locations: " + where + " is in no excluded location"
	}
	for _, id := range l.IncludeLocations {
		if e.inLocation(id) {
			return true, "locations: " + where + " is in included location " + e.locationName(id)
		}
	}
	return false, "locations: " + where + " is in no included location"
}

func (e *evaluation) locationName(id string) string {
	if l, ok := e.locations[id]; ok && l.DisplayName != "" {
		return strconv.Quote(l.DisplayName)
	}
	return id
}

func (e *evaluation) inLocation(id string) bool {
	switch id {
	case All:
		return true
	case AllTrusted:
		for _, l := range e.locations {
			if l.Kind == LocationIP && l.IsTrusted && l.containsIP(e.s) {
				return true
			}
		}
		return false
	}
	l, ok := e.locations[id]
	if !ok {
		return false
	}
	if l.Kind == LocationIP {
		return l.containsIP(e.s)
	}
	if e.s.Country == "" {
		return l.IncludeUnknownCountriesAndRegions
	}
	return slices.Contains(l.CountriesAndRegions, e.s.Country)
}

func (l *NamedLocation) containsIP(s Signals) bool {
	if !s.IP.IsValid() {
		return false
	}
	ip := s.IP.Unmap()
	return slices.ContainsFunc(l.IPRanges, func(p netip.Prefix) bool { return p.Contains(ip) })
}

func (e *evaluation) platforms(c *Conditions) (bool, string) {
	p := c.Platforms
	if p == nil || len(p.IncludePlatforms) == 0 {
		return true, ""
	}
	got := e.s.Platform
	if got == "" {
		got = "unknown"
	}
	if slices.Contains(p.ExcludePlatforms, got) || slices.Contains(p.ExcludePlatforms, "all") {
		return false, "device platform: " + got + " is excluded"
	}
	if slices.Contains(p.IncludePlatforms, got) || slices.Contains(p.IncludePlatforms, "all") {
		return true, "device platform: " + got + " is included"
	}
	return false, "device platform: " + got + " is not included"
}

func (e *evaluation) signInRisk(c *Conditions) (bool, string) {
	return riskMatch("sign-in risk", c.SignInRiskLevels, e.risk)
}

func (e *evaluation) userRiskCondition(c *Conditions) (bool, string) {
	return riskMatch("user risk", c.UserRiskLevels, e.userRisk)
}

func riskMatch(what string, levels []string, got string) (bool, string) {
	if len(levels) == 0 {
		return true, ""
	}
	if slices.Contains(levels, got) {
		return true, what + ": " + got + " is included"
	}
	return false, what + ": " + got + " is not included"
}

func (e *evaluation) authenticationFlows(c *Conditions) (bool, string) {
	f := c.AuthenticationFlows
	if f == nil || f.TransferMethods == "" {
		return true, ""
	}
	for _, m := range strings.Split(f.TransferMethods, ",") {
		if m = strings.TrimSpace(m); m != "" && m == e.s.AuthFlow {
			return true, "authentication flow: " + m + " is included"
		}
	}
	return false, "authentication flow: not a device code or authentication transfer sign-in"
}

// sessionResult is a policy's session controls for this sign-in.
type sessionResult struct {
	frequency      time.Duration
	reauthenticate bool
	persistent     string
	names          []string
	reasons        []string
}

func (e *evaluation) session(c *SessionControls) sessionResult {
	var r sessionResult
	r.names = []string{}
	if c == nil {
		return r
	}
	if f := c.SignInFrequency; f != nil && f.IsEnabled {
		r.names = append(r.names, "signInFrequency")
		r.frequency = f.duration()
		elapsed := e.s.Now.Sub(e.s.AuthTime)
		r.reauthenticate = !e.s.FreshAuth && (r.frequency == EveryTime || elapsed > r.frequency)
		if r.reauthenticate {
			r.reasons = append(r.reasons, "sign-in frequency: the user must sign in again")
		} else {
			r.reasons = append(r.reasons, "sign-in frequency: met")
		}
	}
	if p := c.PersistentBrowser; p != nil && p.IsEnabled {
		r.names = append(r.names, "persistentBrowserSessionMode")
		r.persistent = p.Mode
		r.reasons = append(r.reasons, "persistent browser session: "+p.Mode)
	}
	return r
}

// duration is the frequency as a duration (EveryTime for every sign-in).
func (f *SignInFrequency) duration() time.Duration {
	if f.FrequencyInterval == "everyTime" {
		return EveryTime
	}
	unit := time.Hour
	if f.Type == "days" {
		unit = 24 * time.Hour
	}
	return time.Duration(min(max(f.Value, 1), 365*24)) * unit
}

// levelOfStrength maps the built-in authentication strength IDs to levels.
var levelOfStrength = map[string]mfa.Level{
	StrengthMFA:                  mfa.LevelMFA,
	StrengthPasswordlessMFA:      mfa.LevelPasswordlessMFA,
	StrengthPhishingResistantMFA: mfa.LevelPhishingResistantMFA,
}

// The built-in authentication strengths (G-09, F-36).
const (
	StrengthMFA                  = "00000000-0000-0000-0000-000000000002"
	StrengthPasswordlessMFA      = "00000000-0000-0000-0000-000000000003"
	StrengthPhishingResistantMFA = "00000000-0000-0000-0000-000000000004"
)

// Trace sizes: at most a reason per condition, and what a policy's trace
// takes on average (the arena grows when a tenant's policies need more).
const (
	conditionReasons = 8
	reasonsPerPolicy = 6
)
