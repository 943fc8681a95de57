package approver

import (
	"errors"
	"net/http"

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

func (p *Pages) showRegistration(w http.ResponseWriter, r *http.Request, t *storage.Tenant) {
	v := deviceView{Register: pagePath(r.PathValue("tenant"))}
	sess, err := p.Sessions.CurrentSession(r, t.ID)
	if err == nil {
		v.SignedIn, v.Token = true, p.token("register", sess.ID)
	} else {
		v.Error = msgNeedSignIn
	}
	p.Pages.Render(w, r, http.StatusOK, "approve_device", v)
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
