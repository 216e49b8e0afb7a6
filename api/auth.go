package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/tenants"
	"chuyenhoa/tenants/official"
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
		setRetryAfter(c, err)
		return err
	}
	return c.JSON(http.StatusOK, LoginResponse{Token: token, User: u})
}

// setRetryAfter tells a throttled sign-in when to try again.
func setRetryAfter(c echo.Context, err error) {
	if d := identity.RetryAfter(err); d > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(d/time.Second)))
	}
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
// province user. With Official ("2025" or "2019") the province is the one
// with Code in that embedded official list, and its districts and wards are
// created with it; Name and UnitType then come from the list.
type NewTenant struct {
	Official string           `json:"official,omitempty"`
	Code     string           `json:"code"`
	Name     string           `json:"name"`
	UnitType string           `json:"unit_type"`
	Admin    identity.NewUser `json:"admin"`
}

// TenantCreated answers POST /api/v1/tenants.
type TenantCreated struct {
	Province *tenants.Unit  `json:"province"`
	Admin    *identity.User `json:"admin"`
	// Units counts the units created from the official list (absent for a
	// province typed by hand).
	Units *tenants.ImportResult `json:"units,omitempty"`
}

// OfficialProvinces answers GET /api/v1/official/provinces.
type OfficialProvinces struct {
	List  string          `json:"list"`
	Items []official.Unit `json:"items"`
}

func (s *Server) listOfficialProvinces(c echo.Context) error {
	list := c.QueryParam("list")
	if list == "" {
		list = official.List2025
	}
	ps, err := tenants.OfficialProvinces(list)
	if err != nil {
		return renameFields(err, renamed(map[string]string{"official": "list"}))
	}
	return c.JSON(http.StatusOK, OfficialProvinces{List: list, Items: ps})
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
		p, units, err := s.createProvince(ctx, tx, in)
		if err != nil {
			return err
		}
		out.Units = units
		if err := audit.Record(ctx, tx, audit.Change{Action: "tenant.create", ObjectType: "unit", ObjectID: strconv.FormatInt(p.ID, 10), Unit: p, After: p}); err != nil {
			return err
		}
		in.Admin.Roles = []string{identity.RoleProvince}
		u, err := s.opts.Identity.CreateUserTx(ctx, tx, in.Admin, p)
		if err != nil {
			return prefixFields(err, "admin.")
		}
		out.Province, out.Admin = p, u
		return nil
	})
	return out, err
}

// createProvince creates the province of a new tenant: typed by hand, or
// picked from an official list together with its whole subtree.
func (s *Server) createProvince(ctx context.Context, tx bunTx, in NewTenant) (*tenants.Unit, *tenants.ImportResult, error) {
	if in.Official == "" {
		p, err := tenants.CreateUnit(ctx, tx, tenants.NewUnit{Code: in.Code, Name: in.Name, Kind: tenants.KindProvince, UnitType: in.UnitType}, s.opts.Now().UTC())
		return p, nil, err
	}
	fe := domain.FieldErrors{}
	if strings.TrimSpace(in.Code) == "" {
		fe.Add("code", "Chọn tỉnh, thành phố trong danh mục")
	}
	// The name and type come from the list; a different one typed beside
	// it would be silently dropped, so it is refused instead.
	sub, ok, _ := official.Province(in.Official, strings.TrimSpace(in.Code))
	if ok && in.Name != "" && strings.TrimSpace(in.Name) != sub[0].Name {
		fe.Add("name", "Tên lấy từ danh mục ("+sub[0].Name+"); để trống ô này")
	}
	if ok && in.UnitType != "" && strings.TrimSpace(in.UnitType) != sub[0].UnitType {
		fe.Add("unit_type", "Loại hình lấy từ danh mục ("+sub[0].UnitType+"); để trống ô này")
	}
	if err := fe.Err(); err != nil {
		return nil, nil, err
	}
	ps, res, err := tenants.ImportOfficialTx(ctx, tx, in.Official, []string{strings.TrimSpace(in.Code)}, s.opts.Now().UTC(), nil)
	if err != nil {
		return nil, nil, renameFields(err, renamed(map[string]string{"province": "code"}))
	}
	return ps[0], res, nil
}

// renameFields returns err with its field names passed through name, so
// that the form and the API name the input the caller filled in (a
// service's "province" is the body's "code", a user's "password" the
// tenant's "admin.password"). Other errors are returned as they are.
func renameFields(err error, name func(field string) string) error {
	e, ok := err.(*domain.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	f := domain.FieldErrors{}
	for k, v := range e.FieldErrors() {
		f[name(k)] = v
	}
	out := f.Invalid(e.Message)
	out.Code, out.Key, out.Args, out.Detail = e.Code, e.Key, e.Args, e.Detail
	return out
}

// renamed maps the field names in from to their new names and keeps the rest.
func renamed(from map[string]string) func(string) string {
	return func(k string) string {
		if to, ok := from[k]; ok {
			return to
		}
		return k
	}
}

func prefixFields(err error, prefix string) error {
	return renameFields(err, func(k string) string { return prefix + k })
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
