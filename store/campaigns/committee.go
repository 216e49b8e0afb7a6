package campaigns

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// CommitteeMember is a stored member of a unit's steering committee with
// its optimistic-locking version.
type CommitteeMember struct {
	domain.CommitteeMember
	Version int `json:"version"`
}

type memberRow struct {
	bun.BaseModel `bun:"table:committee_members,alias:cm"`

	ID        int64     `bun:"id,pk,autoincrement"`
	UnitID    int64     `bun:"unit_id,notnull"`
	FullName  string    `bun:"full_name,notnull"`
	Position  string    `bun:"position,notnull"`
	JobTitle  string    `bun:"job_title,notnull"`
	Agency    string    `bun:"agency,notnull"`
	Phone     string    `bun:"phone,notnull"`
	Version   int       `bun:"version,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

type assignmentRow struct {
	bun.BaseModel `bun:"table:committee_assignments,alias:ca"`

	MemberID     int64 `bun:"member_id,pk"`
	TargetAreaID int64 `bun:"target_area_id,pk"`
}

func (r *memberRow) member() *CommitteeMember {
	return &CommitteeMember{Version: r.Version, CommitteeMember: domain.CommitteeMember{
		ID: r.ID, UnitID: r.UnitID, FullName: r.FullName, Position: r.Position, JobTitle: r.JobTitle, Agency: r.Agency,
		Phone: r.Phone, TargetAreaIDs: []int64{}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}}
}

// CommitteeInput is a committee member as a client sends it.
type CommitteeInput struct {
	FullName      string  `json:"full_name"`
	Position      string  `json:"position"`
	JobTitle      string  `json:"job_title"`
	Agency        string  `json:"agency"`
	Phone         string  `json:"phone"`
	TargetAreaIDs []int64 `json:"target_area_ids"`
	// Version is required to update a member.
	Version *int `json:"version,omitempty"`
}

func (in CommitteeInput) member(unitID int64) domain.CommitteeMember {
	return domain.CommitteeMember{UnitID: unitID, FullName: in.FullName, Position: in.Position, JobTitle: in.JobTitle,
		Agency: in.Agency, Phone: in.Phone, TargetAreaIDs: nonNil(in.TargetAreaIDs)}
}

// FindCommittee lists the members of a unit's committee, by rank, with
// their assignments. ENOTFOUND when the unit is outside the caller's scope.
func FindCommittee(ctx context.Context, db bun.IDB, unitID int64) ([]*CommitteeMember, error) {
	if _, err := tenants.FindUnitByID(ctx, db, unitID); err != nil {
		return nil, err
	}
	var rows []*memberRow
	q, err := tenants.WhereUnit(ctx, db.NewSelect().Model(&rows).Where("cm.unit_id = ?", unitID), "cm.unit_id")
	if err != nil {
		return nil, err
	}
	rank := "CASE cm.position WHEN 'head' THEN 1 WHEN 'standing_deputy' THEN 2 WHEN 'deputy' THEN 3 ELSE 4 END"
	if err := q.OrderExpr(rank + ", cm.id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*CommitteeMember, len(rows))
	byID := map[int64]*CommitteeMember{}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.member()
		byID[r.ID] = out[i]
		ids[i] = r.ID
	}
	if len(ids) > 0 {
		var as []assignmentRow
		if err := db.NewSelect().Model(&as).Where("ca.member_id IN (?)", bun.In(ids)).OrderExpr("ca.target_area_id").Scan(ctx); err != nil {
			return nil, err
		}
		for _, a := range as {
			byID[a.MemberID].TargetAreaIDs = append(byID[a.MemberID].TargetAreaIDs, a.TargetAreaID)
		}
	}
	return out, nil
}

// FindCommitteeMemberByID returns a member of a committee inside the caller's scope.
func FindCommitteeMemberByID(ctx context.Context, db bun.IDB, id int64) (*CommitteeMember, error) {
	row := new(memberRow)
	q, err := tenants.WhereUnit(ctx, db.NewSelect().Model(row).Where("cm.id = ?", id), "cm.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "Thành viên Ban Chỉ đạo")
	}
	m := row.member()
	var as []assignmentRow
	if err := db.NewSelect().Model(&as).Where("ca.member_id = ?", id).OrderExpr("ca.target_area_id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, a := range as {
		m.TargetAreaIDs = append(m.TargetAreaIDs, a.TargetAreaID)
	}
	return m, nil
}

// validateMember checks a member of unit and its assignments: each target
// area must exist inside the caller's scope and inside the unit's subtree.
// With the roster's other members it keeps one head and one standing deputy.
func validateMember(ctx context.Context, db bun.IDB, unit *tenants.Unit, m domain.CommitteeMember) error {
	fe := domain.FieldErrors{}
	if err := domain.ValidateCommitteeMember(m); err != nil {
		mergeInvalid(fe, err, "")
	}
	for i, id := range m.TargetAreaIDs {
		f := fmt.Sprintf("target_area_ids[%d]", i)
		if _, bad := fe[f]; bad {
			continue
		}
		ta, err := FindTargetAreaByID(ctx, db, id)
		if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && !tenants.Scope{Path: unit.Path}.Covers(ta.UnitPath)) {
			fe.Add(f, fmt.Sprintf("Địa bàn %d không tồn tại hoặc không thuộc %s", id, unit.Name))
		} else if err != nil {
			return err
		}
	}
	if m.Position == domain.PositionHead || m.Position == domain.PositionStandingDeputy {
		taken, err := db.NewSelect().Model((*memberRow)(nil)).Where("cm.unit_id = ? AND cm.position = ? AND cm.id <> ?", unit.ID, m.Position, m.ID).Exists(ctx)
		if err != nil {
			return err
		}
		if taken {
			fe.Add("position", fmt.Sprintf("Ban Chỉ đạo của %s đã có %s", unit.Name, domain.PositionLabel(m.Position)))
		}
	}
	return fe.Err()
}

func saveAssignments(ctx context.Context, db bun.IDB, memberID int64, areas []int64) error {
	if _, err := db.NewDelete().Model((*assignmentRow)(nil)).Where("member_id = ?", memberID).Exec(ctx); err != nil {
		return err
	}
	for _, id := range areas {
		if _, err := db.NewInsert().Model(&assignmentRow{MemberID: memberID, TargetAreaID: id}).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// CreateCommitteeMember adds a member to the committee of a unit inside the
// caller's scope. Errors: ENOTFOUND (unit), EINVALID naming "full_name",
// "position", "phone", "target_area_ids[0]".
func CreateCommitteeMember(ctx context.Context, db bun.IDB, unitID int64, in CommitteeInput, now time.Time) (*CommitteeMember, error) {
	unit, err := tenants.FindUnitByID(ctx, db, unitID)
	if err != nil {
		return nil, err
	}
	m := in.member(unitID)
	if err := validateMember(ctx, db, unit, m); err != nil {
		return nil, err
	}
	row := &memberRow{UnitID: unitID, FullName: m.FullName, Position: m.Position, JobTitle: m.JobTitle, Agency: m.Agency,
		Phone: m.Phone, Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	if err := saveAssignments(ctx, db, row.ID, m.TargetAreaIDs); err != nil {
		return nil, err
	}
	out := row.member()
	out.TargetAreaIDs = m.TargetAreaIDs
	return out, nil
}

// UpdateCommitteeMember replaces a member's fields and assignments; Version
// is required. Errors as CreateCommitteeMember, and ECONFLICT (stale version).
func UpdateCommitteeMember(ctx context.Context, db bun.IDB, id int64, in CommitteeInput, now time.Time) (before, after *CommitteeMember, err error) {
	before, err = FindCommitteeMemberByID(ctx, db, id)
	if err != nil {
		return nil, nil, err
	}
	if err := requireVersion("thành viên", in.Version, before.Version); err != nil {
		return nil, nil, err
	}
	unit, err := tenants.FindUnitByID(ctx, db, before.UnitID)
	if err != nil {
		return nil, nil, err
	}
	m := in.member(before.UnitID)
	m.ID = id
	if err := validateMember(ctx, db, unit, m); err != nil {
		return nil, nil, err
	}
	row := &memberRow{ID: id, UnitID: before.UnitID, FullName: m.FullName, Position: m.Position, JobTitle: m.JobTitle, Agency: m.Agency,
		Phone: m.Phone, Version: before.Version + 1, CreatedAt: before.CreatedAt, UpdatedAt: now}
	res, err := db.NewUpdate().Model(row).ExcludeColumn("id", "unit_id", "created_at").Where("cm.id = ? AND cm.version = ?", id, before.Version).Exec(ctx)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, staleVersion("Thành viên Ban Chỉ đạo", before.Version)
	}
	if err := saveAssignments(ctx, db, id, m.TargetAreaIDs); err != nil {
		return nil, nil, err
	}
	after = row.member()
	after.TargetAreaIDs = m.TargetAreaIDs
	return before, after, nil
}

// DeleteCommitteeMember removes a member no task names as responsible.
func DeleteCommitteeMember(ctx context.Context, db bun.IDB, id int64) (*CommitteeMember, error) {
	m, err := FindCommitteeMemberByID(ctx, db, id)
	if err != nil {
		return nil, err
	}
	var tasks []taskRow
	if err := db.NewSelect().Model(&tasks).Column("id", "responsible_member_ids").
		Where("pt.plan_id IN (SELECT p.id FROM plans AS p WHERE p.unit_id = ?)", m.UnitID).Scan(ctx); err != nil {
		return nil, err
	}
	for _, t := range tasks {
		for _, mid := range t.ResponsibleMemberIDs {
			if mid == id {
				return nil, domain.Errorf(domain.ECONFLICT, "%s đang được giao chủ trì nhiệm vụ của kế hoạch; hãy giao nhiệm vụ cho người khác trước khi xóa.", m.FullName)
			}
		}
	}
	if err := saveAssignments(ctx, db, id, nil); err != nil {
		return nil, err
	}
	if _, err := db.NewDelete().Model((*memberRow)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// Model is a stored self-management model with its optimistic-locking version.
type Model struct {
	domain.SelfManagementModel
	TypeName string `json:"type_name"`
	Version  int    `json:"version"`
}

type modelRow struct {
	bun.BaseModel `bun:"table:models,alias:m"`

	ID          int64       `bun:"id,pk,autoincrement"`
	UnitID      int64       `bun:"unit_id,notnull"`
	Name        string      `bun:"name,notnull"`
	Type        string      `bun:"type,notnull"`
	Established domain.Date `bun:"established"`
	Members     int64       `bun:"members,notnull"`
	Effective   bool        `bun:"effective,notnull"`
	Notes       string      `bun:"notes,notnull"`
	Version     int         `bun:"version,notnull"`
	CreatedAt   time.Time   `bun:"created_at,notnull"`
	UpdatedAt   time.Time   `bun:"updated_at,notnull"`
}

func (r *modelRow) model() *Model {
	return &Model{TypeName: domain.ModelTypeName(r.Type), Version: r.Version, SelfManagementModel: domain.SelfManagementModel{
		ID: r.ID, UnitID: r.UnitID, Name: r.Name, Type: r.Type, EstablishedOn: r.Established, MembersCount: r.Members,
		Effective: r.Effective, Notes: r.Notes, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}}
}

// ModelInput is a self-management model as a client sends it.
type ModelInput struct {
	Name          string      `json:"name"`
	Type          string      `json:"type"`
	EstablishedOn domain.Date `json:"established_on"`
	MembersCount  int64       `json:"members_count"`
	Effective     bool        `json:"effective"`
	Notes         string      `json:"notes"`
	// Version is required to update a model.
	Version *int `json:"version,omitempty"`
}

// FindModels lists the self-management models of a unit inside the caller's scope.
func FindModels(ctx context.Context, db bun.IDB, unitID int64) ([]*Model, error) {
	if _, err := tenants.FindUnitByID(ctx, db, unitID); err != nil {
		return nil, err
	}
	var rows []*modelRow
	q, err := tenants.WhereUnit(ctx, db.NewSelect().Model(&rows).Where("m.unit_id = ?", unitID), "m.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("m.id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*Model, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, nil
}

// FindModelByID returns a model of a unit inside the caller's scope.
func FindModelByID(ctx context.Context, db bun.IDB, id int64) (*Model, error) {
	row := new(modelRow)
	q, err := tenants.WhereUnit(ctx, db.NewSelect().Model(row).Where("m.id = ?", id), "m.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "Mô hình tự quản")
	}
	return row.model(), nil
}

// SaveModel creates (id 0) or updates a self-management model of a unit
// inside the caller's scope. Errors: ENOTFOUND, EINVALID naming "name",
// "type", "established_on", "members_count", ECONFLICT (stale version).
func SaveModel(ctx context.Context, db bun.IDB, unitID, id int64, in ModelInput, now time.Time) (before, after *Model, err error) {
	if id > 0 {
		if before, err = FindModelByID(ctx, db, id); err != nil {
			return nil, nil, err
		}
		if err := requireVersion("mô hình", in.Version, before.Version); err != nil {
			return nil, nil, err
		}
		unitID = before.UnitID
	} else if _, err := tenants.FindUnitByID(ctx, db, unitID); err != nil {
		return nil, nil, err
	}
	m := domain.SelfManagementModel{UnitID: unitID, Name: in.Name, Type: in.Type, EstablishedOn: in.EstablishedOn,
		MembersCount: in.MembersCount, Effective: in.Effective, Notes: in.Notes}
	if err := domain.ValidateModel(m, domain.DateOf(now)); err != nil {
		return nil, nil, err
	}
	row := &modelRow{ID: id, UnitID: unitID, Name: m.Name, Type: m.Type, Established: m.EstablishedOn, Members: m.MembersCount,
		Effective: m.Effective, Notes: m.Notes, Version: 1, CreatedAt: now, UpdatedAt: now}
	if before == nil {
		if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return nil, nil, err
		}
		return nil, row.model(), nil
	}
	row.Version, row.CreatedAt = before.Version+1, before.CreatedAt
	res, err := db.NewUpdate().Model(row).ExcludeColumn("id", "unit_id", "created_at").Where("m.id = ? AND m.version = ?", id, before.Version).Exec(ctx)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, staleVersion("Mô hình tự quản", before.Version)
	}
	return before, row.model(), nil
}

// DeleteModel removes a self-management model inside the caller's scope.
func DeleteModel(ctx context.Context, db bun.IDB, id int64) (*Model, error) {
	m, err := FindModelByID(ctx, db, id)
	if err != nil {
		return nil, err
	}
	_, err = db.NewDelete().Model((*modelRow)(nil)).Where("id = ?", id).Exec(ctx)
	return m, err
}
