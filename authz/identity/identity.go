// Package identity holds users, password sign-in, API tokens, the web
// session store and login throttling. Roles are Casbin grants (package
// authz); this package records them through the Grants interface in the
// same transaction as the user change.
package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"chuyenhoa/authz/audit"
	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Roles of the product (SPEC section 2).
const (
	RoleProvince = "province"
	RoleDistrict = "district"
	RoleWard     = "ward"
	RolePolice   = "police"
	RoleAdmin    = "admin"
)

// AllRoles lists every role.
var AllRoles = []string{RoleProvince, RoleDistrict, RoleWard, RolePolice, RoleAdmin}

// Grants stores role grants (Casbin's g rules). unitID 0 is the platform.
type Grants interface {
	RolesOf(userID, unitID int64) []string
	Grant(ctx context.Context, tx bun.IDB, userID, unitID int64, role string) error
	Revoke(ctx context.Context, tx bun.IDB, userID, unitID int64, role string) error
	// RefreshUser re-reads one user's grants, which another process (the
	// CLI, another instance) may have changed.
	RefreshUser(ctx context.Context, userID int64) error
}

// User is a person who signs in. Roles come from the grants.
type User struct {
	bun.BaseModel `bun:"table:users,alias:usr"`

	ID           int64      `bun:"id,pk,autoincrement" json:"id"`
	Username     string     `bun:"username,notnull" json:"username"`
	FullName     string     `bun:"full_name,notnull" json:"full_name"`
	UnitID       *int64     `bun:"unit_id" json:"unit_id"`
	Status       string     `bun:"status,notnull" json:"status"`
	PasswordHash string     `bun:"password_hash,notnull" json:"-"`
	Lang         string     `bun:"lang,notnull" json:"lang"`
	LastLoginAt  *time.Time `bun:"last_login_at" json:"last_login_at"`
	// SessionEpoch counts the changes that end the user's web sessions
	// (password, status, roles); a session remembers it from sign-in.
	SessionEpoch int64     `bun:"session_epoch,notnull" json:"-"`
	CreatedAt    time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at,notnull" json:"updated_at"`

	Roles []string      `bun:"-" json:"roles"`
	Unit  *tenants.Unit `bun:"-" json:"unit,omitempty"`
}

// HomeUnitID returns the user's unit id, 0 for the platform.
func (u *User) HomeUnitID() int64 {
	if u.UnitID == nil {
		return 0
	}
	return *u.UnitID
}

// HasRole reports whether the user holds role.
func (u *User) HasRole(role string) bool { return slices.Contains(u.Roles, role) }

// Scope returns the subtree the user may see: the platform for a user
// without a unit, its unit's subtree otherwise. A user whose unit was not
// loaded gets a scope that fails closed, never the platform's.
func (u *User) Scope() tenants.Scope {
	if u.UnitID == nil {
		return tenants.Scope{All: true}
	}
	if u.Unit == nil || u.Unit.ID != *u.UnitID {
		return tenants.Scope{UnitID: *u.UnitID}
	}
	s := tenants.Scope{UnitID: u.Unit.ID, Path: u.Unit.Path}
	if u.Unit.TenantID != nil {
		s.TenantID = *u.Unit.TenantID
	}
	return s
}

type userKey struct{}

// NewContextWithUser returns ctx carrying the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the signed-in user or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// Service manages users, sign-in and tokens.
type Service struct {
	DB       *bun.DB
	Grants   Grants
	Hasher   *Hasher
	Now      func() time.Time
	TokenTTL time.Duration
	// Sign-in throttling (see Authenticate); zero means the default.
	// MaxFailuresPerIP bounds an address's failures over all accounts in
	// an hour (300); MaxFailuresPerAccountIP one address's failures on one
	// account since its last success there, in an hour (10).
	MaxFailuresPerIP        int
	MaxFailuresPerAccountIP int
	// FreeFailures is how many failures an account takes in an hour before
	// each further attempt from an unknown address must wait (5); the wait
	// doubles with every failure from one second up to MaxDelay (1 min).
	FreeFailures int
	MaxDelay     time.Duration
	// Versions, when set, lets UserByToken cache tokens: a shared counter
	// that every sign-in change bumps. Nil means a database query per call.
	Versions Versions

	tokens tokenCache
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// NormalizeUsername lower-cases and trims a username.
func NormalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

// NewUser is the input of CreateUser.
type NewUser struct {
	Username string   `json:"username"`
	FullName string   `json:"full_name"`
	UnitID   *int64   `json:"unit_id"`
	Roles    []string `json:"roles"`
	Password string   `json:"password"`
	Lang     string   `json:"lang"`
}

// UserUpdate is a patch of a user.
type UserUpdate struct {
	FullName *string   `json:"full_name"`
	Status   *string   `json:"status"`
	Password *string   `json:"password"`
	Roles    *[]string `json:"roles"`
	Lang     *string   `json:"lang"`
}

// roleFits says which roles a unit of a kind may hold ("" is the platform).
func roleFits(role, kind string) bool {
	switch role {
	case RoleAdmin:
		return kind == ""
	case RoleProvince:
		return kind == tenants.KindProvince
	case RoleDistrict:
		return kind == tenants.KindDistrict
	case RoleWard:
		return kind == tenants.KindWard
	case RolePolice:
		return kind != ""
	}
	return false
}

func validateRoles(roles []string, unit *tenants.Unit, fe domain.FieldErrors) {
	kind := ""
	if unit != nil {
		kind = unit.Kind
	}
	if len(roles) == 0 {
		fe.Add("roles", "Cần ít nhất một vai trò")
	}
	seen := map[string]bool{}
	for _, r := range roles {
		switch {
		case !slices.Contains(AllRoles, r):
			fe.Add("roles", "Vai trò "+strconv.Quote(r)+" không tồn tại")
		case seen[r]:
			fe.Add("roles", "Vai trò "+r+" bị lặp")
		case !roleFits(r, kind):
			fe.Add("roles", "Vai trò "+r+" không phù hợp với cấp đơn vị "+orPlatform(kind))
		}
		seen[r] = true
	}
}

func orPlatform(kind string) string {
	if kind == "" {
		return "nền tảng (không có đơn vị)"
	}
	return kind
}

// CreateUser creates a user at a unit inside the caller's scope with its
// roles, audited in the same transaction. Errors: EINVALID naming fields,
// ECONFLICT for a taken username, EFORBIDDEN for an admin created outside
// the platform scope.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	scope, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	var unit *tenants.Unit
	if in.UnitID != nil {
		unit, err = tenants.FindUnitByID(ctx, s.DB, *in.UnitID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"unit_id": "Đơn vị không tồn tại"})
		} else if err != nil {
			return nil, err
		}
	} else if !scope.All {
		return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"unit_id": "Cần chọn đơn vị"})
	}
	var u *User
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err = s.CreateUserTx(ctx, tx, in, unit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// CreateUserTx validates and creates a user at unit (nil for the
// platform) inside tx, with its grants and audit entry. It does no scope
// check of its own: CreateUser, the bootstrap CLI and tenant onboarding
// resolve the unit under their own rules.
func (s *Service) CreateUserTx(ctx context.Context, tx bun.IDB, in NewUser, unit *tenants.Unit) (*User, error) {
	in.Username = NormalizeUsername(in.Username)
	in.FullName = strings.TrimSpace(in.FullName)
	fe := domain.FieldErrors{}
	if !usernameRE.MatchString(in.Username) {
		fe.Add("username", "Tên đăng nhập gồm 3–64 ký tự a-z, 0-9, dấu chấm, gạch dưới, gạch ngang")
	}
	if in.FullName == "" || utf8.RuneCountInString(in.FullName) > 200 {
		fe.Add("full_name", "Họ tên không được để trống (tối đa 200 ký tự)")
	}
	if msg := ValidatePassword(in.Username, in.Password, passwordInputs(ctx, tx, in.FullName, unit)...); msg != "" {
		fe.Add("password", msg)
	}
	if in.Lang == "" {
		in.Lang = "vi"
	} else if in.Lang != "vi" && in.Lang != "en" {
		fe.Add("lang", "Ngôn ngữ phải là vi hoặc en")
	}
	validateRoles(in.Roles, unit, fe)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if taken, err := tx.NewSelect().Model((*User)(nil)).Where("username = ?", in.Username).Exists(ctx); err != nil {
		return nil, err
	} else if taken {
		return nil, &domain.Error{Code: domain.ECONFLICT, Message: "Tên đăng nhập đã được dùng", Fields: map[string]string{"username": "đã có người dùng"}}
	}
	hash, err := s.Hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{Username: in.Username, FullName: in.FullName, Status: "active", PasswordHash: hash, Lang: in.Lang, CreatedAt: now, UpdatedAt: now, Roles: in.Roles, Unit: unit}
	if unit != nil {
		u.UnitID = &unit.ID
	}
	if _, err := tx.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	for _, r := range in.Roles {
		if err := s.Grants.Grant(ctx, tx, u.ID, u.HomeUnitID(), r); err != nil {
			return nil, err
		}
	}
	return u, audit.Record(ctx, tx, audit.Change{Action: "user.create", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), Unit: unit, After: u})
}

// passwordInputs are the words of a user that its password must not lean
// on: its name, its unit's name and code, and its province's. The province
// is read without the caller's scope (a district creating a ward user
// cannot see it otherwise); nothing of it leaves this function.
func passwordInputs(ctx context.Context, db bun.IDB, fullName string, unit *tenants.Unit) []string {
	in := []string{fullName}
	if unit == nil {
		return in
	}
	in = append(in, unit.Name, unit.Code)
	if unit.TenantID != nil && *unit.TenantID != unit.ID {
		var p tenants.Unit
		if err := db.NewSelect().Model(&p).Column("name", "code").Where("u.id = ?", *unit.TenantID).Scan(ctx); err == nil {
			in = append(in, p.Name, p.Code)
		}
	}
	return in
}

func (s *Service) scopedUsers(ctx context.Context, db bun.IDB, q *bun.SelectQuery) (*bun.SelectQuery, error) {
	scope, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if scope.All {
		return q, nil
	}
	return tenants.WhereUnit(ctx, q, "usr.unit_id")
}

// FindUserByID returns a user inside the caller's scope, ENOTFOUND otherwise.
func (s *Service) FindUserByID(ctx context.Context, id int64) (*User, error) {
	return s.findUser(ctx, s.DB, id)
}

func (s *Service) findUser(ctx context.Context, db bun.IDB, id int64) (*User, error) {
	u := new(User)
	q, err := s.scopedUsers(ctx, db, db.NewSelect().Model(u).Where("usr.id = ?", id))
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("Người dùng")
	} else if err != nil {
		return nil, err
	}
	return u, s.fill(ctx, db, u)
}

func (s *Service) fill(ctx context.Context, db bun.IDB, u *User) error {
	u.Roles = s.Grants.RolesOf(u.ID, u.HomeUnitID())
	if u.Roles == nil {
		u.Roles = []string{}
	}
	if u.UnitID != nil {
		unit := new(tenants.Unit)
		if err := db.NewSelect().Model(unit).Where("u.id = ?", *u.UnitID).Scan(ctx); err != nil {
			return err
		}
		u.Unit = unit
	}
	return nil
}

// UserFilter selects users.
type UserFilter struct {
	UnitID *int64
	Status *string
	Query  *string
	Limit  int
	Offset int
}

// FindUsers lists users inside the caller's scope.
func (s *Service) FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error) {
	var users []*User
	q, err := s.scopedUsers(ctx, s.DB, s.DB.NewSelect().Model(&users))
	if err != nil {
		return nil, 0, err
	}
	if f.UnitID != nil {
		q = q.Where("usr.unit_id = ?", *f.UnitID)
	}
	if f.Status != nil {
		q = q.Where("usr.status = ?", *f.Status)
	}
	if f.Query != nil && *f.Query != "" {
		q = q.Where("usr.username LIKE ?", "%"+strings.NewReplacer("%", "", "_", "").Replace(NormalizeUsername(*f.Query))+"%")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	n, err := q.Order("usr.username").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, u := range users {
		if err := s.fill(ctx, s.DB, u); err != nil {
			return nil, 0, err
		}
	}
	return users, int(n), nil
}

// UpdateUser patches a user inside the caller's scope. Disabling a user or
// changing its password revokes every API token at once. A change of
// password, status or roles ends every web session of the user on every
// instance: the stored sessions are deleted and the user's session epoch
// moves on, so that a session that a request in flight writes back is
// refused at its next request (each request re-reads the user).
func (s *Service) UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error) {
	var out *User
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := s.findUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseSelfChange(ctx, u, upd); err != nil {
			return err
		}
		before := *u
		before.Roles = slices.Clone(u.Roles)
		fe := domain.FieldErrors{}
		if upd.FullName != nil {
			if n := strings.TrimSpace(*upd.FullName); n == "" || utf8.RuneCountInString(n) > 200 {
				fe.Add("full_name", "Họ tên không được để trống (tối đa 200 ký tự)")
			} else {
				u.FullName = n
			}
		}
		if upd.Status != nil {
			if *upd.Status != "active" && *upd.Status != "disabled" {
				fe.Add("status", "Trạng thái phải là active hoặc disabled")
			} else {
				u.Status = *upd.Status
			}
		}
		if upd.Lang != nil {
			if *upd.Lang != "vi" && *upd.Lang != "en" {
				fe.Add("lang", "Ngôn ngữ phải là vi hoặc en")
			} else {
				u.Lang = *upd.Lang
			}
		}
		if upd.Password != nil {
			if msg := ValidatePassword(u.Username, *upd.Password, passwordInputs(ctx, tx, u.FullName, u.Unit)...); msg != "" {
				fe.Add("password", msg)
			}
		}
		if upd.Roles != nil {
			validateRoles(*upd.Roles, u.Unit, fe)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if upd.Password != nil {
			if u.PasswordHash, err = s.Hasher.Hash(ctx, *upd.Password); err != nil {
				return err
			}
		}
		u.UpdatedAt = s.now()
		endSessions := upd.Password != nil || u.Status != before.Status || (upd.Roles != nil && !sameRoles(before.Roles, *upd.Roles))
		if endSessions {
			u.SessionEpoch++
		}
		if _, err := tx.NewUpdate().Model(u).Column("full_name", "status", "lang", "password_hash", "session_epoch", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if endSessions {
			if err := deleteUserSessions(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		if upd.Roles != nil {
			for _, r := range u.Roles {
				if !slices.Contains(*upd.Roles, r) {
					if err := s.Grants.Revoke(ctx, tx, u.ID, u.HomeUnitID(), r); err != nil {
						return err
					}
				}
			}
			for _, r := range *upd.Roles {
				if !slices.Contains(u.Roles, r) {
					if err := s.Grants.Grant(ctx, tx, u.ID, u.HomeUnitID(), r); err != nil {
						return err
					}
				}
			}
			u.Roles = *upd.Roles
		}
		if u.Status == "disabled" || upd.Password != nil {
			if _, err := tx.NewUpdate().Model((*Token)(nil)).Set("revoked_at = ?", s.now()).Where("user_id = ? AND revoked_at IS NULL", u.ID).Exec(ctx); err != nil {
				return err
			}
		}
		out = u
		if err := audit.Record(ctx, tx, audit.Change{Action: "user.update", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), Unit: u.Unit, Before: &before, After: u}); err != nil {
			return err
		}
		if me := UserFromContext(ctx); upd.Password != nil && (me == nil || me.ID != u.ID) {
			// A reset by someone else (the platform admin, a manager) is
			// an entry of its own, under the user's unit, so the tenant's
			// province sees who reset whose password and when.
			return audit.Record(ctx, tx, audit.Change{Action: "user.password_reset", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), Unit: u.Unit})
		}
		return nil
	})
	if err == nil {
		s.authChanged(ctx)
	}
	return out, err
}

// sameRoles reports whether two role lists hold the same roles.
func sameRoles(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// refuseSelfChange refuses a patch by which the caller would change its own
// roles or status: a user who may manage others must not grant itself a
// role (a district user making itself police enters crime figures and
// accepts them) nor re-enable or disable itself. A patch repeating the
// current roles and status (as the web form sends them) passes. EFORBIDDEN
// naming "roles" and "status".
func refuseSelfChange(ctx context.Context, u *User, upd UserUpdate) error {
	me := UserFromContext(ctx)
	if me == nil || me.ID != u.ID {
		return nil
	}
	fields := map[string]string{}
	if upd.Roles != nil {
		if !sameRoles(*upd.Roles, u.Roles) {
			fields["roles"] = "Không được tự thay đổi vai trò của chính mình"
		}
	}
	if upd.Status != nil && *upd.Status != u.Status {
		fields["status"] = "Không được tự thay đổi trạng thái của chính mình"
	}
	if len(fields) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.EFORBIDDEN, Message: "Không ai được tự thay đổi vai trò hoặc trạng thái tài khoản của chính mình; hãy nhờ một người quản lý khác", Fields: fields}
}

// Token is an API token row; the secret itself is never stored.
type Token struct {
	bun.BaseModel `bun:"table:api_tokens,alias:tok"`

	ID        int64      `bun:"id,pk,autoincrement"`
	UserID    int64      `bun:"user_id,notnull"`
	TokenHash string     `bun:"token_hash,notnull"`
	Kind      string     `bun:"kind,notnull"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
	ExpiresAt time.Time  `bun:"expires_at,notnull"`
	RevokedAt *time.Time `bun:"revoked_at"`
	IP        string     `bun:"ip,notnull"`
}

// HashToken returns the stored form of a token secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newSecret() (string, error) {
	b := make([]byte, 32) // 256 bits
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Login checks a username and password and returns the user and a new API
// token. Unknown users and wrong passwords get the same EUNAUTHENTICATED
// answer after the same work (one argon2id verification); throttled
// attempts get ETOOMANY (see Authenticate).
func (s *Service) Login(ctx context.Context, username, password, ip string) (*User, string, error) {
	u, err := s.Authenticate(ctx, username, password, ip)
	if err != nil {
		return nil, "", err
	}
	secret, err := s.IssueToken(ctx, s.DB, u.ID, ip)
	if err != nil {
		return nil, "", err
	}
	return u, secret, nil
}

// KnownClientFor is how long a successful sign-in from an address makes
// that address known for the account: its owner signing in from there is
// not slowed by strangers' failures. A cleanup of login_attempts keeps
// successful rows at least this long.
const KnownClientFor = 90 * 24 * time.Hour

// throttleWindow is the period over which failures count.
const throttleWindow = time.Hour

// Throttle defaults.
const (
	defaultMaxFailuresPerIP        = 300
	defaultMaxFailuresPerAccountIP = 10
	defaultFreeFailures            = 5
	defaultMaxDelay                = time.Minute
)

// Authenticate verifies a username and password (with throttling and
// audit) without issuing a token; the web sign-in uses it with a session.
//
// Throttling never locks an account (ASVS 2.2.1, OWASP's credential
// stuffing sheet), so that strangers cannot keep its owner out:
//   - one address gets MaxFailuresPerAccountIP failures on one account
//     (counted since its last success there, over the last hour), and
//     MaxFailuresPerIP failures over all accounts in an hour;
//   - after FreeFailures failures on an account in the hour (since its
//     last success), an attempt from an address that is not known for the
//     account must come a growing delay after the account's last failure:
//     1 s, 2 s, 4 s … up to MaxDelay;
//   - an address from which the account signed in during KnownClientFor
//     is known: the delay and the per-address limit over all accounts do
//     not apply to it, only its own limit on this account.
//
// A throttled attempt is refused with ETOOMANY (its Detail is a
// Throttle with the wait) before any password is verified, and is neither
// counted nor audited.
func (s *Service) Authenticate(ctx context.Context, username, password, ip string) (*User, error) {
	username = NormalizeUsername(username)
	fail := domain.Errorf(domain.EUNAUTHENTICATED, "Tên đăng nhập hoặc mật khẩu không đúng")
	if username == "" || password == "" || len(password) > 1024 || len(username) > 200 {
		return nil, domain.Invalid("Cần nhập tên đăng nhập và mật khẩu", map[string]string{"username": "bắt buộc", "password": "bắt buộc"})
	}
	if err := s.throttle(ctx, username, ip); err != nil {
		return nil, err
	}
	u := new(User)
	err := s.DB.NewSelect().Model(u).Where("usr.username = ?", username).Scan(ctx)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	hash := ""
	if found {
		hash = u.PasswordHash
	}
	ok, err := s.Hasher.Verify(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	success := found && ok && u.Status == "active"
	now := s.now()
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&loginAttempt{Username: username, IP: ip, Success: success, At: now}).Exec(ctx); err != nil {
			return err
		}
		var unit *tenants.Unit
		if found {
			if success {
				// Grants may have been written by another process since
				// this one loaded them; sign-in is rare enough to re-read.
				if err := s.Grants.RefreshUser(ctx, u.ID); err != nil {
					return err
				}
			}
			if err := s.fill(ctx, tx, u); err != nil {
				return err
			}
			unit = u.Unit
		}
		actx := audit.NewContextWithActor(ctx, audit.Actor{Username: username, IP: ip, RequestID: audit.ActorFromContext(ctx).RequestID})
		if !success {
			return audit.Record(actx, tx, audit.Change{Action: "auth.login_failed", ObjectType: "user", ObjectID: username, Unit: unit})
		}
		u.LastLoginAt = &now
		if _, err := tx.NewUpdate().Model(u).Column("last_login_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		actx = audit.NewContextWithActor(ctx, audit.Actor{UserID: u.ID, Username: username, UnitID: u.HomeUnitID(), IP: ip, RequestID: audit.ActorFromContext(ctx).RequestID})
		return audit.Record(actx, tx, audit.Change{Action: "auth.login", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), Unit: unit})
	})
	if err != nil {
		return nil, err
	}
	if !success {
		return nil, fail
	}
	return u, nil
}

// Throttle is the Detail of a throttled sign-in's ETOOMANY error.
type Throttle struct {
	// RetryAfter is the wait, in whole seconds, before another attempt
	// from this address can be verified.
	RetryAfter int `json:"retry_after"`
}

// RetryAfter returns the wait of a throttled sign-in error, 0 for any
// other error.
func RetryAfter(err error) time.Duration {
	var de *domain.Error
	if errors.As(err, &de) {
		if t, ok := de.Detail.(Throttle); ok {
			return time.Duration(t.RetryAfter) * time.Second
		}
	}
	return 0
}

func throttled(msg string, wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return &domain.Error{Code: domain.ETOOMANY, Message: msg, Detail: Throttle{RetryAfter: secs}}
}

// throttle decides whether an attempt on username from ip may be verified
// now (see Authenticate).
func (s *Service) throttle(ctx context.Context, username, ip string) error {
	now := s.now()
	since := now.Add(-throttleWindow)
	maxPair, maxIP, free, maxDelay := s.MaxFailuresPerAccountIP, s.MaxFailuresPerIP, s.FreeFailures, s.MaxDelay
	if maxPair <= 0 {
		maxPair = defaultMaxFailuresPerAccountIP
	}
	if maxIP <= 0 {
		maxIP = defaultMaxFailuresPerIP
	}
	if free <= 0 {
		free = defaultFreeFailures
	}
	if maxDelay <= 0 {
		maxDelay = defaultMaxDelay
	}
	attempts := func() *bun.SelectQuery { return s.DB.NewSelect().Model((*loginAttempt)(nil)) }

	// This address on this account.
	pairSuccess, err := s.latestAttempt(ctx, attempts().Where("username = ? AND ip = ? AND success = ?", username, ip, true))
	if err != nil {
		return err
	}
	known := pairSuccess != nil && pairSuccess.After(now.Add(-KnownClientFor))
	from := since
	if pairSuccess != nil && pairSuccess.After(from) {
		from = *pairSuccess
	}
	nPair, err := attempts().Where("username = ? AND ip = ? AND success = ? AND at > ?", username, ip, false, from).Count(ctx)
	if err != nil {
		return err
	}
	if nPair >= int64(maxPair) {
		oldest, err := s.oldestAttempt(ctx, attempts().Where("username = ? AND ip = ? AND success = ? AND at > ?", username, ip, false, from))
		if err != nil {
			return err
		}
		return throttled("Đăng nhập sai quá nhiều lần từ địa chỉ này, vui lòng thử lại sau", oldest.Add(throttleWindow).Sub(now))
	}
	if known {
		return nil
	}

	// This address on every account.
	nIP, err := attempts().Where("ip = ? AND success = ? AND at > ?", ip, false, since).Count(ctx)
	if err != nil {
		return err
	}
	if nIP >= int64(maxIP) {
		oldest, err := s.oldestAttempt(ctx, attempts().Where("ip = ? AND success = ? AND at > ?", ip, false, since))
		if err != nil {
			return err
		}
		return throttled("Đăng nhập sai quá nhiều lần từ địa chỉ này, vui lòng thử lại sau", oldest.Add(throttleWindow).Sub(now))
	}

	// This account from every address: a growing delay.
	accountSuccess, err := s.latestAttempt(ctx, attempts().Where("username = ? AND success = ?", username, true))
	if err != nil {
		return err
	}
	from = since
	if accountSuccess != nil && accountSuccess.After(from) {
		from = *accountSuccess
	}
	nAccount, err := attempts().Where("username = ? AND success = ? AND at > ?", username, false, from).Count(ctx)
	if err != nil || nAccount < int64(free) {
		return err
	}
	last, err := s.latestAttempt(ctx, attempts().Where("username = ? AND success = ? AND at > ?", username, false, from))
	if err != nil || last == nil {
		return err
	}
	delay := maxDelay
	if n := nAccount - int64(free); n < 30 {
		if d := time.Second << n; d < maxDelay {
			delay = d
		}
	}
	if wait := last.Add(delay).Sub(now); wait > 0 {
		return throttled("Tài khoản này vừa bị đăng nhập sai nhiều lần, vui lòng thử lại sau ít giây", wait)
	}
	return nil
}

// latestAttempt returns the time of the newest attempt q selects, nil for none.
func (s *Service) latestAttempt(ctx context.Context, q *bun.SelectQuery) (*time.Time, error) {
	return firstAttempt(ctx, q.Order("at DESC"))
}

// oldestAttempt returns the time of the oldest attempt q selects.
func (s *Service) oldestAttempt(ctx context.Context, q *bun.SelectQuery) (time.Time, error) {
	t, err := firstAttempt(ctx, q.Order("at ASC"))
	if err != nil || t == nil {
		return time.Time{}, err
	}
	return *t, nil
}

func firstAttempt(ctx context.Context, q *bun.SelectQuery) (*time.Time, error) {
	var rows []loginAttempt
	if err := q.Column("at").Limit(1).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	t := rows[0].At
	return &t, nil
}

type loginAttempt struct {
	bun.BaseModel `bun:"table:login_attempts"`

	ID       int64     `bun:"id,pk,autoincrement"`
	Username string    `bun:"username,notnull"`
	IP       string    `bun:"ip,notnull"`
	Success  bool      `bun:"success,notnull"`
	At       time.Time `bun:"at,notnull"`
}

// IssueToken creates an API token for a user and returns its secret.
func (s *Service) IssueToken(ctx context.Context, db bun.IDB, userID int64, ip string) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	ttl := s.TokenTTL
	if ttl <= 0 {
		ttl = 30 * 24 * time.Hour
	}
	now := s.now()
	t := &Token{UserID: userID, TokenHash: HashToken(secret), Kind: "api", CreatedAt: now, ExpiresAt: now.Add(ttl), IP: ip}
	if _, err := db.NewInsert().Model(t).Exec(ctx); err != nil {
		return "", err
	}
	return secret, nil
}

// UserByToken returns the active user owning an unexpired, unrevoked token;
// EUNAUTHENTICATED otherwise.
func (s *Service) UserByToken(ctx context.Context, secret string) (*User, error) {
	if secret == "" || len(secret) > 200 {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "Cần đăng nhập")
	}
	hash := HashToken(secret)
	now := s.now()
	version, cacheable := int64(0), false
	if s.Versions != nil {
		v, err := s.Versions.Int(ctx, authVersionKey)
		if err == nil {
			version, cacheable = v, true
			if u, ok := s.tokens.get(hash, version, now); ok {
				u.Roles = s.Grants.RolesOf(u.ID, u.HomeUnitID())
				if u.Roles == nil {
					u.Roles = []string{}
				}
				if u.Unit != nil {
					unit := *u.Unit
					u.Unit = &unit
				}
				return &u, nil
			}
		}
	}
	u, err := s.userByTokenHash(ctx, hash, now)
	if err != nil {
		return nil, err
	}
	if cacheable {
		c := *u
		if u.Unit != nil {
			unit := *u.Unit
			c.Unit = &unit
		}
		s.tokens.put(hash, c, version, now)
	}
	return u, nil
}

func (s *Service) userByTokenHash(ctx context.Context, hash string, now time.Time) (*User, error) {
	// One query for the token, the user and the user's unit.
	row := new(userWithUnit)
	err := s.DB.NewSelect().Model(row).
		ColumnExpr("usr.*").
		ColumnExpr("hu.id AS hu_id, hu.code AS hu_code, hu.name AS hu_name, hu.name_folded AS hu_name_folded, hu.kind AS hu_kind").
		ColumnExpr("hu.unit_type AS hu_unit_type, hu.parent_id AS hu_parent_id, hu.tenant_id AS hu_tenant_id, hu.path AS hu_path").
		ColumnExpr("hu.depth AS hu_depth, hu.created_at AS hu_created_at, hu.updated_at AS hu_updated_at").
		Join("JOIN api_tokens AS tok ON tok.user_id = usr.id").
		Join("LEFT JOIN units AS hu ON hu.id = usr.unit_id").
		Where("tok.token_hash = ?", hash).
		Where("tok.revoked_at IS NULL").
		Where("tok.expires_at > ?", now).
		Where("usr.status = ?", "active").
		Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn")
	} else if err != nil {
		return nil, err
	}
	u := &row.User
	if u.UnitID != nil {
		if row.HuID == nil {
			return nil, domain.Errorf(domain.EINTERNAL, "identity: unit %d of user %d not found", *u.UnitID, u.ID)
		}
		u.Unit = &tenants.Unit{ID: *row.HuID, Code: row.HuCode.String, Name: row.HuName.String, NameFolded: row.HuNameFolded.String,
			Kind: row.HuKind.String, UnitType: row.HuUnitType.String, ParentID: row.HuParentID, TenantID: row.HuTenantID,
			Path: row.HuPath.String, Depth: int(row.HuDepth.Int64), CreatedAt: row.HuCreatedAt.Time, UpdatedAt: row.HuUpdatedAt.Time}
	}
	u.Roles = s.Grants.RolesOf(u.ID, u.HomeUnitID())
	if u.Roles == nil {
		u.Roles = []string{}
	}
	return u, nil
}

// userWithUnit is a user read with its unit in one query.
type userWithUnit struct {
	User `bun:",extend"`

	HuID         *int64         `bun:"hu_id"`
	HuCode       sql.NullString `bun:"hu_code"`
	HuName       sql.NullString `bun:"hu_name"`
	HuNameFolded sql.NullString `bun:"hu_name_folded"`
	HuKind       sql.NullString `bun:"hu_kind"`
	HuUnitType   sql.NullString `bun:"hu_unit_type"`
	HuParentID   *int64         `bun:"hu_parent_id"`
	HuTenantID   *int64         `bun:"hu_tenant_id"`
	HuPath       sql.NullString `bun:"hu_path"`
	HuDepth      sql.NullInt64  `bun:"hu_depth"`
	HuCreatedAt  sql.NullTime   `bun:"hu_created_at"`
	HuUpdatedAt  sql.NullTime   `bun:"hu_updated_at"`
}

// UserByID returns an active user regardless of scope, for session
// resolution; EUNAUTHENTICATED when missing or disabled.
func (s *Service) UserByID(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	err := s.DB.NewSelect().Model(u).Where("usr.id = ?", id).Where("usr.status = ?", "active").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn")
	} else if err != nil {
		return nil, err
	}
	return u, s.fill(ctx, s.DB, u)
}

// RevokeToken revokes one token secret (logout).
func (s *Service) RevokeToken(ctx context.Context, secret string) error {
	defer s.authChanged(ctx)
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Token)(nil)).Set("revoked_at = ?", s.now()).Where("token_hash = ? AND revoked_at IS NULL", HashToken(secret)).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		u := UserFromContext(ctx)
		var unit *tenants.Unit
		id := ""
		if u != nil {
			unit, id = u.Unit, strconv.FormatInt(u.ID, 10)
		}
		return audit.Record(ctx, tx, audit.Change{Action: "auth.logout", ObjectType: "user", ObjectID: id, Unit: unit})
	})
}
