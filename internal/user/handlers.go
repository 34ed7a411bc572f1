package user

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
)

// Handler serves the User service's HTTP API.
type Handler struct {
	svc     *Service
	maxBody int64
}

// NewHandler returns the HTTP handlers of svc; maxBody caps JSON bodies.
func NewHandler(svc *Service, maxBody int64) *Handler {
	return &Handler{svc: svc, maxBody: maxBody}
}

// Routes registers the service's routes on mux.
func (h *Handler) Routes(mux httpapi.Mux) {
	mux.HandleFunc("POST /api/auth/register", h.register)
	mux.HandleFunc("POST /api/auth/login", h.login)
	mux.HandleFunc("POST /api/auth/refresh", h.refresh)
	mux.HandleFunc("POST /api/auth/logout", httpapi.RequireAuth(h.logout))
	mux.HandleFunc("GET /api/auth/profile", httpapi.RequireAuth(h.profile))
	mux.HandleFunc("POST /api/auth/password", httpapi.RequireAuth(h.changePassword))
	mux.HandleFunc("GET /api/auth/sessions", httpapi.RequireAuth(h.sessions))
	mux.HandleFunc("GET /api/auth/events", httpapi.RequireAuth(h.events))
	mux.HandleFunc("POST /api/auth/mfa/enroll", httpapi.RequireAuth(h.enrollMFA))
	mux.HandleFunc("POST /api/auth/mfa/confirm", httpapi.RequireAuth(h.confirmMFA))
	mux.HandleFunc("POST /api/auth/mfa/disable", httpapi.RequireAuth(h.disableMFA))
	mux.HandleFunc("PUT /api/users/profile", httpapi.RequireAuth(h.updateProfile))
	mux.HandleFunc("GET /api/users/{id}", httpapi.RequireAuth(h.getUser))
	mux.HandleFunc("GET /api/admin/users", httpapi.RequireAdmin(h.listUsers))
	mux.HandleFunc("PATCH /api/admin/users/{id}", httpapi.RequireAdmin(h.adminUpdate))
}

func client(r *http.Request) Client {
	return Client{IP: httpapi.PeerOf(r.Context()).IP, UserAgent: r.UserAgent()}
}

func principal(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

func (h *Handler) register(w http.ResponseWriter, r *http.Request) {
	var in RegisterInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	t, err := h.svc.Register(r.Context(), in, client(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/users/"+t.User.ID)
	httpapi.JSON(w, http.StatusCreated, t)
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	var in LoginInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	t, err := h.svc.Login(r.Context(), in, client(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, t)
}

type refreshInput struct {
	RefreshToken string `json:"refresh_token"`
}

func (h *Handler) refresh(w http.ResponseWriter, r *http.Request) {
	var in refreshInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	t, err := h.svc.Refresh(r.Context(), in.RefreshToken, client(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, t)
}

type logoutInput struct {
	All bool `json:"all"`
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	var in logoutInput
	if err := httpapi.DecodeOptional(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	n, err := h.svc.Logout(r.Context(), principal(r), in.All, client(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]int{"sessions_revoked": n})
}

func etag(u *User) string { return fmt.Sprintf(`"%d"`, u.Version) }

func (h *Handler) profile(w http.ResponseWriter, r *http.Request) {
	u, err := h.svc.Me(r.Context(), principal(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(u))
	httpapi.JSON(w, http.StatusOK, u.Private())
}

func (h *Handler) updateProfile(w http.ResponseWriter, r *http.Request) {
	var in ProfileUpdate
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	ifMatch := 0
	if v := r.Header.Get("If-Match"); v != "" && v != "*" {
		n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
		if err != nil || n <= 0 {
			httpapi.Error(w, r, errs.Field("If-Match", "If-Match must be the ETag of GET /api/auth/profile"))
			return
		}
		ifMatch = n
	}
	u, err := h.svc.UpdateProfile(r.Context(), principal(r), in, ifMatch, client(r))
	if err != nil {
		var e *errs.Error
		if ifMatch != 0 && errors.As(err, &e) && e.Code == CodeVersionConflict {
			err = &errs.Error{Kind: errs.PreconditionFailed, Message: e.Message}
		}
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(u))
	httpapi.JSON(w, http.StatusOK, u.Private())
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	var in PasswordChange
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.ChangePassword(r.Context(), principal(r), in, client(r)); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"password_changed": true})
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	u, err := h.svc.Get(r.Context(), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if p := principal(r); p.UserID == u.ID || p.IsAdmin() {
		httpapi.JSON(w, http.StatusOK, u.Private())
		return
	}
	if !u.IsActive {
		httpapi.Error(w, r, errs.E(errs.NotFound, "user not found"))
		return
	}
	httpapi.JSON(w, http.StatusOK, u.Public())
}

func (h *Handler) sessions(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Sessions(r.Context(), principal(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			httpapi.Error(w, r, errs.Field("limit", "limit must be an integer from 1 to 200"))
			return
		}
		limit = n
	}
	list, err := h.svc.Events(r.Context(), principal(r), limit)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) enrollMFA(w http.ResponseWriter, r *http.Request) {
	e, err := h.svc.EnrollMFA(r.Context(), principal(r), client(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, e)
}

type codeInput struct {
	Code string `json:"code"`
}

func (h *Handler) decodeCode(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in codeInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return "", false
	}
	if strings.TrimSpace(in.Code) == "" {
		httpapi.Error(w, r, errs.Field("code", "code is required"))
		return "", false
	}
	return in.Code, true
}

func (h *Handler) confirmMFA(w http.ResponseWriter, r *http.Request) {
	code, ok := h.decodeCode(w, r)
	if !ok {
		return
	}
	if err := h.svc.ConfirmMFA(r.Context(), principal(r), code, client(r)); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"mfa_enabled": true})
}

func (h *Handler) disableMFA(w http.ResponseWriter, r *http.Request) {
	code, ok := h.decodeCode(w, r)
	if !ok {
		return
	}
	if err := h.svc.DisableMFA(r.Context(), principal(r), code, client(r)); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"mfa_enabled": false})
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			httpapi.Error(w, r, errs.Field("limit", "limit must be an integer from 1 to 100"))
			return
		}
		limit = n
	}
	page, err := h.svc.ListUsers(r.Context(), q.Get("q"), q.Get("cursor"), limit)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, page)
}

func (h *Handler) adminUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in AdminUpdate
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	u, err := h.svc.UpdateByAdmin(r.Context(), principal(r), id, in, client(r))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, u.Private())
}
