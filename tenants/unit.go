package tenants

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// Unit kinds. The tree never assumes three levels: a ward's parent is a
// district or, since the 2025 reform, the province itself.
const (
	KindProvince = "province"
	KindDistrict = "district"
	KindWard     = "ward"
)

// Unit is one administrative unit (đơn vị hành chính).
type Unit struct {
	bun.BaseModel `bun:"table:units,alias:u"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	Code       string    `bun:"code,notnull" json:"code"`
	Name       string    `bun:"name,notnull" json:"name"`
	NameFolded string    `bun:"name_folded,notnull" json:"-"`
	Kind       string    `bun:"kind,notnull" json:"kind"`
	UnitType   string    `bun:"unit_type,notnull" json:"unit_type"`
	ParentID   *int64    `bun:"parent_id" json:"parent_id"`
	TenantID   *int64    `bun:"tenant_id" json:"tenant_id"`
	Path       string    `bun:"path,notnull" json:"path"`
	Depth      int       `bun:"depth,notnull" json:"depth"`
	CreatedAt  time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// UnitFilter selects units within the caller's scope.
type UnitFilter struct {
	ParentID *int64
	// Root lists the subtree under this unit (inclusive) when set.
	Root *int64
	Kind *string
	// Query matches names with or without diacritics.
	Query  *string
	Code   *string
	Limit  int
	Offset int
}

// UnitUpdate is a patch of a unit; nil fields are left alone.
type UnitUpdate struct {
	Name     *string `json:"name"`
	UnitType *string `json:"unit_type"`
}

// NewUnit is the input of CreateUnit.
type NewUnit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	UnitType   string `json:"unit_type"`
	ParentID   *int64 `json:"parent_id"`
	ParentCode string `json:"parent_code"`
}

// AuditFunc records a change in the audit trail inside the change's
// transaction. It is injected (rather than imported) because the audit
// package itself depends on the tree.
type AuditFunc func(ctx context.Context, tx bun.IDB, action string, u *Unit, before, after any) error

// Units is the locality tree stored through Bun.
type Units struct {
	DB    *bun.DB
	Now   func() time.Time
	Audit AuditFunc
}

func (s *Units) audit(ctx context.Context, tx bun.IDB, action string, u *Unit, before, after any) error {
	if s.Audit == nil {
		return nil
	}
	return s.Audit(ctx, tx, action, u, before, after)
}

func (s *Units) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// ValidKind reports whether k is a unit kind.
func ValidKind(k string) bool {
	return k == KindProvince || k == KindDistrict || k == KindWard
}

// validParent says whether a unit of kind child may hang under kind parent
// ("" for no parent).
func validParent(child, parent string) bool {
	switch child {
	case KindProvince:
		return parent == ""
	case KindDistrict:
		return parent == KindProvince
	case KindWard:
		return parent == KindProvince || parent == KindDistrict
	}
	return false
}

func validCode(c string) bool {
	if c == "" || len(c) > 20 {
		return false
	}
	for _, r := range c {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func validateName(name string) string {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return "Tên đơn vị không được để trống"
	case !utf8.ValidString(n):
		return "Tên đơn vị phải là văn bản UTF-8"
	case utf8.RuneCountInString(n) > 200:
		return "Tên đơn vị dài quá 200 ký tự"
	case strings.IndexFunc(n, unicode.IsControl) >= 0:
		// A NUL byte reaches the database as a broken literal (an
		// internal error, not a validation message).
		return "Tên đơn vị không được chứa ký tự điều khiển"
	}
	return ""
}

func validateUnitType(t string) string {
	t = strings.TrimSpace(t)
	switch {
	case !utf8.ValidString(t):
		return "Loại hình đơn vị phải là văn bản UTF-8"
	case utf8.RuneCountInString(t) > 100:
		return "Loại hình đơn vị dài quá 100 ký tự"
	case strings.IndexFunc(t, unicode.IsControl) >= 0:
		return "Loại hình đơn vị không được chứa ký tự điều khiển"
	}
	return ""
}

// FindUnitByID returns the unit if it is inside the caller's scope;
// ENOTFOUND otherwise (outside the scope is indistinguishable from absent).
func (s *Units) FindUnitByID(ctx context.Context, id int64) (*Unit, error) {
	return FindUnitByID(ctx, s.DB, id)
}

// FindUnitByID is Units.FindUnitByID on any bun.IDB (for transactions).
func FindUnitByID(ctx context.Context, db bun.IDB, id int64) (*Unit, error) {
	u := new(Unit)
	q, err := WherePathCtx(ctx, db.NewSelect().Model(u).Where("u.id = ?", id), "u.path")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("Đơn vị")
	} else if err != nil {
		return nil, err
	}
	return u, nil
}

// FindUnitByCode returns the unit with the official code inside the scope.
func FindUnitByCode(ctx context.Context, db bun.IDB, code string) (*Unit, error) {
	u := new(Unit)
	q, err := WherePathCtx(ctx, db.NewSelect().Model(u).Where("u.code = ?", code), "u.path")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("Đơn vị")
	} else if err != nil {
		return nil, err
	}
	return u, nil
}

// FindUnits lists units inside the scope matching f, ordered by path (tree
// order), with the total count before paging.
func (s *Units) FindUnits(ctx context.Context, f UnitFilter) ([]*Unit, int, error) {
	var units []*Unit
	q, err := WherePathCtx(ctx, s.DB.NewSelect().Model(&units), "u.path")
	if err != nil {
		return nil, 0, err
	}
	if f.ParentID != nil {
		q = q.Where("u.parent_id = ?", *f.ParentID)
	}
	if f.Root != nil {
		root, err := s.FindUnitByID(ctx, *f.Root)
		if err != nil {
			return nil, 0, err
		}
		q = Scope{Path: root.Path}.WherePath(q, "u.path")
	}
	if f.Kind != nil {
		q = q.Where("u.kind = ?", *f.Kind)
	}
	if f.Code != nil {
		q = q.Where("u.code = ?", *f.Code)
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q = q.Where("u.name_folded LIKE ?", "%"+escapeLike(Fold(*f.Query))+"%")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	n, err := q.Order("u.path").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	return units, int(n), nil
}

func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// CreateUnit creates a unit under a parent inside the scope (or a province,
// which needs the platform scope). Errors: EINVALID naming the field,
// ENOTFOUND for a parent outside the scope, ECONFLICT for a used code.
func (s *Units) CreateUnit(ctx context.Context, in NewUnit) (*Unit, error) {
	var out *Unit
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if out, err = CreateUnit(ctx, tx, in, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, "unit.create", out, nil, out)
	})
	return out, err
}

// CreateUnit is Units.CreateUnit inside a transaction of the caller.
func CreateUnit(ctx context.Context, tx bun.IDB, in NewUnit, now time.Time) (*Unit, error) {
	scope, err := ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	fe := domain.FieldErrors{}
	in.Code = strings.TrimSpace(in.Code)
	in.Name = strings.TrimSpace(in.Name)
	if !validCode(in.Code) {
		fe.Add("code", "Mã đơn vị phải gồm 1–20 chữ số hoặc chữ cái")
	}
	if msg := validateName(in.Name); msg != "" {
		fe.Add("name", msg)
	}
	if msg := validateUnitType(in.UnitType); msg != "" {
		fe.Add("unit_type", msg)
	}
	if !ValidKind(in.Kind) {
		fe.Add("kind", "Loại đơn vị phải là province, district hoặc ward")
	}
	var parent *Unit
	switch {
	case in.ParentID != nil:
		parent, err = FindUnitByID(ctx, tx, *in.ParentID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			fe.Add("parent_id", "Đơn vị cấp trên không tồn tại")
		} else if err != nil {
			return nil, err
		}
	case in.ParentCode != "":
		parent, err = FindUnitByCode(ctx, tx, in.ParentCode)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			fe.Add("parent_code", "Đơn vị cấp trên không tồn tại")
		} else if err != nil {
			return nil, err
		}
	}
	if ValidKind(in.Kind) && len(fe) == 0 {
		pk := ""
		if parent != nil {
			pk = parent.Kind
		}
		if !validParent(in.Kind, pk) {
			fe.Add("parent_id", "Đơn vị loại "+in.Kind+" không thể trực thuộc "+orNone(pk))
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if parent == nil && !scope.All {
		return nil, domain.Errorf(domain.EFORBIDDEN, "chỉ quản trị nền tảng được tạo tỉnh")
	}
	if exists, err := tx.NewSelect().Model((*Unit)(nil)).Where("code = ?", in.Code).Exists(ctx); err != nil {
		return nil, err
	} else if exists {
		return nil, &domain.Error{Code: domain.ECONFLICT, Message: "Mã đơn vị đã tồn tại", Fields: map[string]string{"code": "Mã " + in.Code + " đã được dùng"}}
	}
	u := &Unit{Code: in.Code, Name: in.Name, NameFolded: Fold(in.Name), Kind: in.Kind, UnitType: strings.TrimSpace(in.UnitType),
		Path: "tmp:" + in.Code, CreatedAt: now, UpdatedAt: now}
	if parent != nil {
		u.ParentID = &parent.ID
		u.Depth = parent.Depth + 1
	}
	if _, err := tx.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	if parent != nil {
		u.Path = parent.Path + itoa(u.ID) + "/"
		u.TenantID = parent.TenantID
	} else {
		u.Path = "/" + itoa(u.ID) + "/"
		u.TenantID = &u.ID
	}
	if _, err := tx.NewUpdate().Model(u).Column("path", "tenant_id").WherePK().Exec(ctx); err != nil {
		return nil, err
	}
	return u, nil
}

func orNone(k string) string {
	if k == "" {
		return "(không có cấp trên)"
	}
	return k
}

// UpdateUnit renames a unit inside the scope.
func (s *Units) UpdateUnit(ctx context.Context, id int64, upd UnitUpdate) (*Unit, error) {
	var out *Unit
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := FindUnitByID(ctx, tx, id)
		if err != nil {
			return err
		}
		before := *u
		if upd.Name != nil {
			if msg := validateName(*upd.Name); msg != "" {
				return domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"name": msg})
			}
			u.Name = strings.TrimSpace(*upd.Name)
			u.NameFolded = Fold(u.Name)
		}
		if upd.UnitType != nil {
			if msg := validateUnitType(*upd.UnitType); msg != "" {
				return domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"unit_type": msg})
			}
			u.UnitType = strings.TrimSpace(*upd.UnitType)
		}
		u.UpdatedAt = s.now()
		if _, err := tx.NewUpdate().Model(u).Column("name", "name_folded", "unit_type", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		out = u
		return s.audit(ctx, tx, "unit.update", u, &before, u)
	})
	return out, err
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// ParentIDOf returns the id of the unit directly above the unit whose
// materialised path is path ("/1/5/12/" → 5); 0 for a province (a root) or
// a path that is not a units.path.
func ParentIDOf(path string) int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return 0
	}
	var id int64
	for _, c := range parts[len(parts)-2] {
		if c < '0' || c > '9' {
			return 0
		}
		id = id*10 + int64(c-'0')
	}
	return id
}

// DirectlyUnder reports whether the unit at path lies directly under the
// unit parentID. The unit directly above a ward does what the programme
// asks of "the district" (propose the ward as a target area, review its
// reports and plan, propose its exit): its district, or its province when
// the ward has no district (the two-tier government since 1 July 2025).
// A province is never directly above a ward that has a district.
func DirectlyUnder(path string, parentID int64) bool {
	return parentID > 0 && ParentIDOf(path) == parentID
}
