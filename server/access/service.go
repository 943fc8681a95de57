package access

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/geoip"
	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/storage"
)

// Service evaluates sign-ins. Build it as a struct literal; Store and Roles
// are required, GeoIP and Config optional (without Config a tenant has no
// Conditional Access policies, only its security-defaults setting).
type Service struct {
	Store  storage.Storage
	Roles  *directory.Roles
	GeoIP  *geoip.DB
	Config ConfigSource
	Now    func() time.Time
}

// ConfigSource is where a tenant's Conditional Access configuration and its
// users' terms-of-use acceptances and risk live.
type ConfigSource interface {
	// Config returns the tenant's policies and named locations.
	Config(ctx context.Context, tenantID string) (Config, error)
	// AcceptedTerms lists the terms of use whose current version the user
	// accepted.
	AcceptedTerms(ctx context.Context, tenantID, userID string) ([]string, error)
	// UserRisk is the user's risk level set by an administrator ("none"
	// when unset or dismissed).
	UserRisk(ctx context.Context, tenantID, userID string) (string, error)
	// LastSignIn is the user's last successful interactive sign-in:
	// address and time (ok false when there is none).
	LastSignIn(ctx context.Context, tenantID, userID string) (addr netip.Addr, at time.Time, ok bool, err error)
}

// Config is a tenant's Conditional Access configuration.
type Config struct {
	Policies  []policy.Policy
	Locations []policy.NamedLocation
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Attempt is one sign-in (or token request) to evaluate.
type Attempt struct {
	Tenant *storage.Tenant
	// User is nil for a workload identity (client credentials).
	User          *storage.User
	AppID         string
	AdminResource bool
	UserAction    string
	Addr          netip.Addr
	UserAgent     string
	ClientAppType string
	AuthFlow      string
	// What the sign-in has achieved so far.
	Level      mfa.Level
	HasMethods bool
	FreshAuth  bool
	AuthTime   time.Time
	Facts      Facts
}

// Evaluation is one evaluation: what was known and what was decided.
type Evaluation struct {
	Input    policy.Input
	Decision policy.Decision
}

// Evaluate gathers the signals of the attempt and evaluates the tenant's
// security defaults or Conditional Access policies.
func (s *Service) Evaluate(ctx context.Context, a Attempt) (*Evaluation, error) {
	sig, err := s.Signals(ctx, a)
	if err != nil {
		return nil, err
	}
	return s.EvaluateSignals(ctx, a.Tenant, sig)
}

// EvaluateSignals evaluates given signals (What-If passes hypothetical ones).
func (s *Service) EvaluateSignals(ctx context.Context, tenant *storage.Tenant, sig policy.Signals) (*Evaluation, error) {
	var cfg Config
	if s.Config != nil {
		var err error
		if cfg, err = s.Config.Config(ctx, tenant.ID); err != nil {
			return nil, fmt.Errorf("access: load Conditional Access policies: %w", err)
		}
	}
	in := policy.Input{SecurityDefaults: tenant.Settings.SecurityDefaults, Policies: cfg.Policies, Locations: cfg.Locations, Signals: sig}
	return &Evaluation{Input: in, Decision: policy.Evaluate(in)}, nil
}

// Signals gathers what policy.Evaluate needs to know about the attempt.
func (s *Service) Signals(ctx context.Context, a Attempt) (policy.Signals, error) {
	place := s.GeoIP.Lookup(a.Addr)
	sig := policy.Signals{AppID: a.AppID, AdminResource: a.AdminResource, UserAction: a.UserAction,
		ClientAppType: a.ClientAppType, IP: a.Addr, Country: place.Country, Platform: policy.PlatformFromUserAgent(a.UserAgent),
		AuthFlow: a.AuthFlow, SignInRisk: a.Facts.Risk, UnfamiliarSignIn: a.Facts.Unfamiliar,
		Level: a.Level, HasMethods: a.HasMethods, PasswordChanged: a.Facts.PasswordChanged,
		FreshAuth: a.FreshAuth, AuthTime: a.AuthTime, Now: s.now()}
	if a.User == nil {
		sig.Workload = true
		return sig, nil
	}
	if err := s.userSignals(ctx, a.Tenant.ID, a.User, &sig); err != nil {
		return policy.Signals{}, err
	}
	return sig, nil
}

// UserSignals fills in who the user is: groups, roles, guest, accepted terms
// and user risk.
func (s *Service) userSignals(ctx context.Context, tenantID string, u *storage.User, sig *policy.Signals) error {
	sig.UserID, sig.Guest = u.ID, u.UserType == storage.UserTypeGuest
	groups, err := s.Store.TransitiveGroupsOfUser(ctx, tenantID, u.ID)
	if err != nil {
		return fmt.Errorf("access: groups of the user: %w", err)
	}
	for _, g := range groups {
		sig.GroupIDs = append(sig.GroupIDs, g.GroupID)
	}
	if sig.RoleIDs, err = s.Roles.EffectiveRoleIDs(ctx, tenantID, u.ID); err != nil {
		return fmt.Errorf("access: roles of the user: %w", err)
	}
	if s.Config == nil {
		return nil
	}
	if sig.AcceptedTerms, err = s.Config.AcceptedTerms(ctx, tenantID, u.ID); err != nil {
		return fmt.Errorf("access: accepted terms of use: %w", err)
	}
	if sig.UserRisk, err = s.Config.UserRisk(ctx, tenantID, u.ID); err != nil {
		return fmt.Errorf("access: user risk: %w", err)
	}
	return nil
}

// sprayFailures is how many failed passwords from one address, across
// accounts, make it a password-spray source (smart lockout throttles the
// address later, at its own threshold).
const sprayFailures = 10

// FirstFactor computes the risk facts of a sign-in once its first factor
// succeeded. familiar is smart lockout's verdict for the address, taken
// before the success made the network familiar.
func (s *Service) FirstFactor(ctx context.Context, tenant *storage.Tenant, userID string, addr netip.Addr, familiar bool) (Facts, error) {
	d := policy.Detections{UnfamiliarIP: !familiar && addr.IsValid()}
	c, err := s.Store.GetLockoutCounter(ctx, tenant.ID, lockout.AddressKeyPrefix(addr))
	switch {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return Facts{}, fmt.Errorf("access: address failures: %w", err)
	default:
		d.PasswordSpray = c.Failures >= sprayFailures
	}
	st, err := s.Store.GetMFAState(ctx, tenant.ID, userID)
	if err != nil {
		return Facts{}, fmt.Errorf("access: MFA state: %w", err)
	}
	d.FailedMFAAttempts = st.Failures
	if err := s.travel(ctx, tenant.ID, userID, addr, &d); err != nil {
		return Facts{}, err
	}
	risk, detections := policy.SignInRisk(d)
	return Facts{Unfamiliar: d.UnfamiliarIP, Risk: risk, Detections: detections}, nil
}

// travel compares the sign-in's place with the user's last successful one:
// a new country, or a distance no airliner covers in the time between.
func (s *Service) travel(ctx context.Context, tenantID, userID string, addr netip.Addr, d *policy.Detections) error {
	if s.Config == nil || s.GeoIP.Len() == 0 {
		return nil
	}
	lastAddr, at, ok, err := s.Config.LastSignIn(ctx, tenantID, userID)
	if err != nil {
		return fmt.Errorf("access: last sign-in: %w", err)
	}
	if !ok {
		return nil
	}
	here, there := s.GeoIP.Lookup(addr), s.GeoIP.Lookup(lastAddr)
	d.UnfamiliarCountry = here.Country != "" && there.Country != "" && here.Country != there.Country
	if here.HasCoordinates && there.HasCoordinates {
		d.ImpossibleTravel = policy.ImpossibleTravel(
			policy.GeoPoint{Latitude: there.Latitude, Longitude: there.Longitude, At: at},
			policy.GeoPoint{Latitude: here.Latitude, Longitude: here.Longitude, At: s.now()})
	}
	return nil
}
