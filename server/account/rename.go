package account

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/sigil-idp/sigil/storage"
)

// maxMethodName bounds a method's display name (a passkey's "Work laptop").
const maxMethodName = 64

const msgBadName = "Give the method a name of 1 to 64 characters."

// submitRename renames one of the user's methods (a passkey, an approver
// device). It changes no credential, so it needs no fresh MFA.
func (h *Handler) submitRename(w http.ResponseWriter, r *http.Request, ar *request) {
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if name == "" || utf8.RuneCountInString(name) > maxMethodName || !utf8.ValidString(name) {
		h.Pages.Error(w, r, http.StatusBadRequest, titleAccount, msgBadName)
		return
	}
	err := h.Store.RenameAuthMethod(r.Context(), ar.tenant.ID, ar.user.ID, r.PostForm.Get("id"), name)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		h.Pages.Error(w, r, http.StatusNotFound, titleAccount, msgStale)
	case err != nil:
		h.internal(w, r, "rename method", err)
	default:
		http.Redirect(w, r, h.pagePath(ar, ""), http.StatusSeeOther)
	}
}
