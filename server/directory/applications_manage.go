package directory

import (
	"context"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// maxClientSecrets caps how many secrets an application holds at once
// (rotation needs two; remove old ones with RemoveClientSecret).
const maxClientSecrets = 16

// ListApplications returns the tenant's applications.
func (s *Service) ListApplications(ctx context.Context, tenantID string) ([]storage.Application, error) {
	if _, err := s.requireTenant(ctx, tenantID); err != nil {
		return nil, err
	}
	return s.Store.ListApplications(ctx, tenantID)
}

// GetApplication returns the tenant's application with the given client ID;
// another tenant's application is reported as not found.
func (s *Service) GetApplication(ctx context.Context, tenantID, clientID string) (*storage.Application, error) {
	app, err := s.Store.GetApplication(ctx, clientID)
	if err != nil {
		return nil, mapNotFound(err, ErrApplicationNotFound)
	}
	if app.TenantID != tenantID {
		return nil, ErrApplicationNotFound
	}
	return app, nil
}

// DeleteApplication removes the tenant's application.
func (s *Service) DeleteApplication(ctx context.Context, tenantID, clientID string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		app, err := s.GetApplication(ctx, tenantID, clientID)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteApplication(ctx, tenantID, clientID); err != nil {
			return mapNotFound(err, ErrApplicationNotFound)
		}
		return s.record(ctx, appChangeRecord("Delete application", storage.AuditDelete, app, nil))
	})
}

// AddClientSecret generates a further secret for a confidential application and
// returns it (shown once). Existing secrets stay valid, so clients can move to
// the new one before the old one is removed.
func (s *Service) AddClientSecret(ctx context.Context, tenantID, clientID string) (string, error) {
	var secret string
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		app, err := s.GetApplication(ctx, tenantID, clientID)
		if err != nil {
			return err
		}
		var p problems
		if !usesClientSecret(app.TokenEndpointAuthMethod) {
			p.add("tokenEndpointAuthMethod", "the application authenticates with %q and takes no client secret", app.TokenEndpointAuthMethod)
		} else if len(app.Secrets) >= maxClientSecrets {
			p.add("secrets", "an application holds at most %d secrets; remove an old one first", maxClientSecrets)
		}
		if err := p.err(); err != nil {
			return err
		}
		var cs storage.ClientSecret
		before := *app
		secret, cs = s.newClientSecret()
		app.Secrets = append(app.Secrets, cs)
		if err := s.Store.UpdateApplication(ctx, app); err != nil {
			return mapNotFound(err, ErrApplicationNotFound)
		}
		return s.record(ctx, appChangeRecord("Update application – Certificates and secrets management", storage.AuditUpdate, &before, app))
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// RemoveClientSecret revokes one secret of an application. The last secret of
// an application that authenticates with secrets cannot be removed; add a new
// one first.
func (s *Service) RemoveClientSecret(ctx context.Context, tenantID, clientID, secretID string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		app, err := s.GetApplication(ctx, tenantID, clientID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(app.Secrets, func(cs storage.ClientSecret) bool { return cs.ID == secretID })
		if i < 0 {
			return ErrClientSecretNotFound
		}
		if len(app.Secrets) == 1 {
			var p problems
			p.add("secrets", "this is the application's only secret; add a new one before removing it")
			return p.err()
		}
		before := *app
		before.Secrets = slices.Clone(app.Secrets)
		app.Secrets = slices.Delete(app.Secrets, i, i+1)
		if err := s.Store.UpdateApplication(ctx, app); err != nil {
			return mapNotFound(err, ErrApplicationNotFound)
		}
		return s.record(ctx, appChangeRecord("Update application – Certificates and secrets management", storage.AuditUpdate, &before, app))
	})
}
