package approver

import (
	"context"
	"errors"
	"net/http"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

// deviceView is the data of approve_device.
type deviceView struct {
	// Device is the registered device; nil shows registration.
	Device   *storage.AuthMethod
	Requests []requestView
	Respond  string
	Register string
	Token    string
	SignedIn bool
	Notice   string
	Error    string
}

// requestView is one pending request on the approver.
type requestView struct {
	ID, App, IP, Time, Token string
}

// show renders the approver: its pending requests, or registration.
func (p *Pages) show(w http.ResponseWriter, r *http.Request, t *storage.Tenant) {
	dev, err := p.device(r, t.ID)
	if errors.Is(err, storage.ErrNotFound) {
		p.showRegistration(w, r, t)
		return
	} else if err != nil {
		p.internal(w, r, "load device", err)
		return
	}
	p.showDevice(w, r, t, dev, http.StatusOK, "", "")
}

// showRegistration offers to register this browser after a recent sign-in,
// with MFA when the user already has a method (registering security info,
// F-38); otherwise it starts that sign-in, which comes back here.
func (p *Pages) showRegistration(w http.ResponseWriter, r *http.Request, t *storage.Tenant) {
	path := pagePath(r.PathValue("tenant"))
	sess, err := p.Sessions.CurrentSession(r, t.ID)
	fresh := false
	if err == nil {
		if fresh, err = p.fresh(r.Context(), sess); err != nil {
			p.internal(w, r, "load methods", err)
			return
		}
	}
	if !fresh {
		p.Sessions.StartAction(w, r, mfa.ActionRegisterSecurityInfo, path, freshFor)
		return
	}
	v := deviceView{Register: path, SignedIn: true, Token: p.token("register", sess.ID)}
	p.Pages.Render(w, r, http.StatusOK, "approve_device", v)
}

// fresh reports whether the session is recent, and strong enough when the
// user has a method to prove themselves with.
func (p *Pages) fresh(ctx context.Context, sess *storage.BrowserSession) (bool, error) {
	if p.now().Sub(sess.AuthTime) > freshFor {
		return false, nil
	}
	reg, err := mfa.LoadRegistered(ctx, p.Store, sess.TenantID, sess.UserID)
	if err != nil {
		return false, err
	}
	return !reg.HasAny() || mfa.LevelOf(sess.ACR) >= mfa.LevelMFA, nil
}

// showDevice lists the device user's pending requests and polls for more.
func (p *Pages) showDevice(w http.ResponseWriter, r *http.Request, t *storage.Tenant, dev *storage.AuthMethod, status int, notice, problem string) {
	reqs, err := p.Store.ListApprovalRequests(r.Context(), t.ID, dev.UserID, storage.ApprovalPending, p.now())
	if err != nil {
		p.internal(w, r, "list requests", err)
		return
	}
	path := pagePath(r.PathValue("tenant"))
	v := deviceView{Device: dev, Respond: path + "/respond", Notice: notice, Error: problem}
	for _, q := range reqs {
		v.Requests = append(v.Requests, requestView{ID: q.ID, App: q.AppName, IP: q.IP,
			Time: q.CreatedAt.UTC().Format("2006-01-02 15:04:05 UTC"), Token: p.token("respond", dev.ID, q.ID)})
	}
	w.Header().Set("Refresh", "3; url="+path)
	p.Pages.Render(w, r, status, "approve_device", v)
}
