package admin

import (
	"context"
	"net/http"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// userFields are the user properties $select and $filter accept.
var userFields = resourceFields{
	Selectable: []string{"id", "userPrincipalName", "displayName", "givenName", "surname", "mail", "userType",
		"accountEnabled", "department", "jobTitle", "companyName", "employeeId", "city", "country", "usageLocation",
		"mobilePhone", "createdDateTime"},
	Filterable: []string{"id", "userPrincipalName", "displayName", "givenName", "surname", "mail", "userType",
		"accountEnabled", "department", "jobTitle", "companyName", "employeeId", "city", "country", "usageLocation"},
}

// resourceFields are the properties a resource offers to OData options.
type resourceFields struct {
	Selectable []string
	Filterable []string
}

// userJSON is a user in Graph's shape.
func userJSON(u *storage.User) map[string]any {
	return map[string]any{
		"id": u.ID, "userPrincipalName": u.UserPrincipalName, "displayName": u.DisplayName,
		"givenName": nullable(u.GivenName), "surname": nullable(u.Surname), "mail": nullable(u.Mail),
		"userType": u.UserType, "accountEnabled": u.AccountEnabled, "department": nullable(u.Department),
		"jobTitle": nullable(u.JobTitle), "companyName": nullable(u.CompanyName), "employeeId": nullable(u.EmployeeID),
		"city": nullable(u.City), "country": nullable(u.Country), "usageLocation": nullable(u.UsageLocation),
		"mobilePhone": nullable(u.MobilePhone), "createdDateTime": u.CreatedAt.UTC().Format(time.RFC3339),
	}
}

// nullable is Graph's null for an unset string.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), userFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	users, err := h.Directory.ListUsers(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	all := make([]map[string]any, 0, len(users))
	for i := range users {
		if obj := userJSON(&users[i]); matches(obj, q.Filter) {
			all = append(all, obj)
		}
	}
	h.writePage(w, r, "users", q, all)
	return nil
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), userFields, "")
	if aerr != nil {
		return aerr
	}
	u, err := h.Directory.GetUser(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	h.writeObject(w, http.StatusOK, "users/$entity", etag(u.ID, u.UpdatedAt), project(userJSON(u), q.Select))
	return nil
}

// writeObject writes one entity with @odata.context and its ETag.
func (h *Handler) writeObject(w http.ResponseWriter, status int, entity, tag string, obj map[string]any) {
	obj["@odata.context"] = h.BaseURL + "/v1.0/$metadata#" + entity
	if tag != "" {
		obj["@odata.etag"] = tag
		w.Header().Set("ETag", tag)
	}
	writeJSON(w, status, obj)
}

// passwordProfile is Graph's passwordProfile of a new user.
type passwordProfile struct {
	Password                      string `json:"password"`
	ForceChangePasswordNextSignIn *bool  `json:"forceChangePasswordNextSignIn"`
}

// newUserBody is the body of POST /users.
type newUserBody struct {
	AccountEnabled    *bool            `json:"accountEnabled"`
	DisplayName       string           `json:"displayName"`
	MailNickname      string           `json:"mailNickname"`
	UserPrincipalName string           `json:"userPrincipalName"`
	GivenName         string           `json:"givenName"`
	Surname           string           `json:"surname"`
	Mail              string           `json:"mail"`
	UserType          string           `json:"userType"`
	PasswordProfile   *passwordProfile `json:"passwordProfile"`
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body newUserBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if body.PasswordProfile == nil {
		return badRequest("Invalid value. passwordProfile: is required (with a password).")
	}
	u, err := h.Directory.CreateUser(r.Context(), c.TenantID, directory.NewUser{
		UserPrincipalName: body.UserPrincipalName, DisplayName: body.DisplayName, GivenName: body.GivenName,
		Surname: body.Surname, Mail: body.Mail, UserType: body.UserType, Password: body.PasswordProfile.Password,
		Disabled: body.AccountEnabled != nil && !*body.AccountEnabled,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", h.BaseURL+"/v1.0/users/"+u.ID)
	h.writeObject(w, http.StatusCreated, "users/$entity", etag(u.ID, u.UpdatedAt), userJSON(u))
	return nil
}

// userPatch is the body of PATCH /users/{id}; absent properties stay.
type userPatch struct {
	DisplayName    *string `json:"displayName"`
	GivenName      *string `json:"givenName"`
	Surname        *string `json:"surname"`
	Mail           *string `json:"mail"`
	UserType       *string `json:"userType"`
	AccountEnabled *bool   `json:"accountEnabled"`
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body userPatch
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	err := h.inTx(r.Context(), func(ctx context.Context) error {
		u, err := h.Directory.GetUser(ctx, c.TenantID, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, etag(u.ID, u.UpdatedAt)); err != nil {
			return err
		}
		_, err = h.Directory.UpdateUser(ctx, c.actor(), c.TenantID, u.ID, directory.UserChange{
			DisplayName: body.DisplayName, GivenName: body.GivenName, Surname: body.Surname,
			Mail: body.Mail, UserType: body.UserType, AccountEnabled: body.AccountEnabled,
		})
		return err
	})
	return noContent(w, err)
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request, c Caller) error {
	err := h.inTx(r.Context(), func(ctx context.Context) error {
		u, err := h.Directory.GetUser(ctx, c.TenantID, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, etag(u.ID, u.UpdatedAt)); err != nil {
			return err
		}
		return h.Directory.DeleteUser(ctx, c.TenantID, u.ID)
	})
	return noContent(w, err)
}

// noContent answers 204 after a change that succeeded.
func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
