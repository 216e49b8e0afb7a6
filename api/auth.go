package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Enforcer answers function-level authorisation: may this user, with the
// roles granted at its home unit (0 = platform), use this permission.
type Enforcer interface {
	Can(userID, homeUnitID int64, permission string) bool
	// RefreshUser re-reads one user's grants, which another instance may
	// have changed.
	RefreshUser(ctx context.Context, userID int64) error
	// RolesOf lists the roles the user holds at unitID.
	RolesOf(userID, unitID int64) []string
}

// can checks a permission, re-reading the user's grants once before
// refusing so that a role granted on another instance counts at once.
func can(ctx context.Context, e Enforcer, u *identity.User, permission string) bool {
	if e.Can(u.ID, u.HomeUnitID(), permission) {
		return true
	}
	if err := e.RefreshUser(ctx, u.ID); err != nil {
		return false
	}
	if u.Roles = e.RolesOf(u.ID, u.HomeUnitID()); u.Roles == nil {
		u.Roles = []string{}
	}
	return e.Can(u.ID, u.HomeUnitID(), permission)
}

// TokenAuthorizer authenticates API calls by bearer token and checks the
// route's permission with the Enforcer. The caller's scope (its home
// unit's subtree) goes into the context for the storage queries.
type TokenAuthorizer struct {
	Identity *identity.Service
	Enforcer Enforcer
}

// Authorize implements Authorizer.
func (a *TokenAuthorizer) Authorize(c echo.Context, permission string) (context.Context, error) {
	ctx := c.Request().Context()
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || secret == "" {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "Cần đăng nhập (Authorization: Bearer <token>)")
	}
	u, err := a.Identity.UserByToken(ctx, strings.TrimSpace(secret))
	if err != nil {
		return nil, err
	}
	ctx = WithCaller(c, ctx, u)
	if !can(ctx, a.Enforcer, u, permission) {
		// The caller's context goes back with the refusal, so that the
		// error handler counts the denial against the user (countDenial)
		// instead of an audit row per request.
		return ctx, &domain.Error{Code: domain.EFORBIDDEN, Message: "Vai trò của bạn không được phép thực hiện thao tác này (" + permission + ")"}
	}
	return ctx, nil
}

// WithCaller puts the user, its scope and the audit actor into ctx and
// names the caller in the request log.
func WithCaller(c echo.Context, ctx context.Context, u *identity.User) context.Context {
	ctx = identity.NewContextWithUser(ctx, u)
	ctx = tenants.NewContextWithScope(ctx, u.Scope())
	ctx = audit.NewContextWithActor(ctx, audit.Actor{UserID: u.ID, Username: u.Username, UnitID: u.HomeUnitID(), IP: c.RealIP(), RequestID: requestID(c)})
	SetCallerLog(c, u.ID, u.HomeUnitID())
	return ctx
}

// LoginRequest is the body of POST /api/v1/auth/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginResponse answers a successful login.
type LoginResponse struct {
	Token string         `json:"token"`
	User  *identity.User `json:"user"`
}

func (s *Server) login(c echo.Context) error {
	var in LoginRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := audit.NewContextWithActor(c.Request().Context(), audit.Actor{IP: c.RealIP(), RequestID: requestID(c)})
	u, token, err := s.opts.Identity.Login(ctx, in.Username, in.Password, c.RealIP())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, LoginResponse{Token: token, User: u})
}

func (s *Server) logout(c echo.Context) error {
	secret := strings.TrimSpace(strings.TrimPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer "))
	if err := s.opts.Identity.RevokeToken(c.Request().Context(), secret); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error {
	u := identity.UserFromContext(c.Request().Context())
	if u == nil {
		return domain.Errorf(domain.EUNAUTHENTICATED, "Cần đăng nhập")
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) createUser(c echo.Context) error {
	var in identity.NewUser
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.opts.Identity.CreateUser(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) listUsers(c echo.Context) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	f := identity.UserFilter{Limit: limit, Offset: offset}
	if f.UnitID, err = queryID(c, "unit_id"); err != nil {
		return err
	}
	if v := c.QueryParam("status"); v != "" {
		f.Status = &v
	}
	if v := c.QueryParam("q"); v != "" {
		f.Query = &v
	}
	users, n, err := s.opts.Identity.FindUsers(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if users == nil {
		users = []*identity.User{}
	}
	return c.JSON(http.StatusOK, Page[*identity.User]{Items: users, Total: n, Limit: limit, Offset: offset})
}

func (s *Server) getUser(c echo.Context) error {
	return answerByID(c, s.opts.Identity.FindUserByID)
}

func (s *Server) updateUser(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var upd identity.UserUpdate
	if err := decodeJSON(c, &upd); err != nil {
		return err
	}
	u, err := s.opts.Identity.UpdateUser(c.Request().Context(), id, upd)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// NewTenant is the body of POST /api/v1/tenants: a province and its first
// province user.
type NewTenant struct {
	Code     string           `json:"code"`
	Name     string           `json:"name"`
	UnitType string           `json:"unit_type"`
	Admin    identity.NewUser `json:"admin"`
}

// TenantCreated answers POST /api/v1/tenants.
type TenantCreated struct {
	Province *tenants.Unit  `json:"province"`
	Admin    *identity.User `json:"admin"`
}

func (s *Server) createTenant(c echo.Context) error {
	var in NewTenant
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.onboardTenant(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// onboardTenant creates a province and its first province user in one
// transaction, audited; the API and the admin page both call it.
func (s *Server) onboardTenant(ctx context.Context, in NewTenant) (TenantCreated, error) {
	var out TenantCreated
	err := s.opts.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bunTx) error {
		p, err := tenants.CreateUnit(ctx, tx, tenants.NewUnit{Code: in.Code, Name: in.Name, Kind: tenants.KindProvince, UnitType: in.UnitType}, s.opts.Now().UTC())
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{Action: "tenant.create", ObjectType: "unit", ObjectID: strconv.FormatInt(p.ID, 10), Unit: p, After: p}); err != nil {
			return err
		}
		in.Admin.Roles = []string{identity.RoleProvince}
		u, err := s.opts.Identity.CreateUserTx(ctx, tx, in.Admin, p)
		if err != nil {
			return prefixFields(err, "admin.")
		}
		out = TenantCreated{Province: p, Admin: u}
		return nil
	})
	return out, err
}

func prefixFields(err error, prefix string) error {
	e, ok := err.(*domain.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	f := map[string]string{}
	for k, v := range e.Fields {
		f[prefix+k] = v
	}
	return &domain.Error{Code: e.Code, Message: e.Message, Fields: f}
}

func (s *Server) listAudit(c echo.Context) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	f := audit.Filter{Limit: limit, Offset: offset}
	if f.ActorID, err = queryID(c, "actor_id"); err != nil {
		return err
	}
	if v := c.QueryParam("object_type"); v != "" {
		f.ObjectType = &v
	}
	if v := c.QueryParam("object_id"); v != "" {
		f.ObjectID = &v
	}
	if v := c.QueryParam("action"); v != "" {
		f.Action = &v
	}
	fe := domain.FieldErrors{}
	for name, dst := range map[string]**timeT{"from": &f.From, "to": &f.To} {
		if v := c.QueryParam(name); v != "" {
			t, err := parseTime(v)
			if err != nil {
				fe.Add(name, "phải là thời điểm RFC 3339 (2024-03-13T00:00:00+07:00) hoặc ngày YYYY-MM-DD")
				continue
			}
			*dst = &t
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	entries, n, err := audit.FindEntries(c.Request().Context(), s.opts.DB, f)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []*audit.Entry{}
	}
	return c.JSON(http.StatusOK, Page[*audit.Entry]{Items: entries, Total: n, Limit: limit, Offset: offset})
}
