package campaigns

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Plan is a stored plan with its content, the author unit's name, whether
// it is (or would now be) late, and its optimistic-locking version. Tasks
// carry their own versions.
type Plan struct {
	domain.Plan
	UnitName string `json:"unit_name"`
	UnitKind string `json:"unit_kind"`
	// ReviewerUnitID is the unit above the author, which reviews the plan.
	ReviewerUnitID int64 `json:"reviewer_unit_id"`
	Late           bool  `json:"late"`
	Version        int   `json:"version"`
	// Tasks are the plan's tasks in order, their status as of today (overdue derived).
	Tasks []Task `json:"tasks"`
	// Actions are the workflow actions the caller may take now.
	Actions []string `json:"actions"`
	// Editable says whether the caller may edit the plan's content now.
	Editable bool `json:"editable"`
}

// Task is a stored task with its optimistic-locking version.
type Task struct {
	domain.Task
	Version int `json:"version"`
}

// PlanSummary is one plan in a list, without its content.
type PlanSummary struct {
	ID           int64  `json:"id"`
	CampaignID   int64  `json:"campaign_id"`
	TargetAreaID int64  `json:"target_area_id"`
	UnitID       int64  `json:"unit_id"`
	UnitName     string `json:"unit_name"`
	// ReviewerUnitID is the unit above the author, which reviews the plan.
	ReviewerUnitID int64       `json:"reviewer_unit_id"`
	Number         string      `json:"number,omitempty"`
	Title          string      `json:"title"`
	Status         string      `json:"status"`
	Due            domain.Date `json:"due"`
	SubmittedAt    *time.Time  `json:"submitted_at,omitempty"`
	Late           bool        `json:"late"`
	Version        int         `json:"version"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

type planRow struct {
	bun.BaseModel `bun:"table:plans,alias:p"`

	ID            int64       `bun:"id,pk,autoincrement"`
	CampaignID    int64       `bun:"campaign_id,notnull"`
	TargetAreaID  int64       `bun:"target_area_id,notnull"`
	UnitID        int64       `bun:"unit_id,notnull"`
	Number        string      `bun:"number,notnull"`
	Title         string      `bun:"title,notnull"`
	IssuedOn      domain.Date `bun:"issued_on"`
	Preamble      string      `bun:"preamble,notnull"`
	Signer        string      `bun:"signer,notnull"`
	Status        string      `bun:"status,notnull"`
	Due           domain.Date `bun:"due"`
	SubmittedAt   *time.Time  `bun:"submitted_at"`
	Late          bool        `bun:"late,notnull"`
	ReviewedAt    *time.Time  `bun:"reviewed_at"`
	ReviewComment string      `bun:"review_comment,notnull"`
	CopiedFromID  *int64      `bun:"copied_from_id"`
	Version       int         `bun:"version,notnull"`
	CreatedAt     time.Time   `bun:"created_at,notnull"`
	UpdatedAt     time.Time   `bun:"updated_at,notnull"`

	UnitName     string `bun:"unit_name,scanonly"`
	UnitKind     string `bun:"unit_kind,scanonly"`
	UnitParentID *int64 `bun:"unit_parent_id,scanonly"`
}

var planColumns = []string{"id", "campaign_id", "target_area_id", "unit_id", "number", "title", "issued_on", "preamble",
	"signer", "status", "due", "submitted_at", "late", "reviewed_at", "review_comment", "copied_from_id", "version",
	"created_at", "updated_at"}

func (r *planRow) plan(now time.Time) *Plan {
	p := &Plan{UnitName: r.UnitName, UnitKind: r.UnitKind, Version: r.Version, Tasks: []Task{}, Actions: []string{},
		Plan: domain.Plan{
			ID: r.ID, CampaignID: r.CampaignID, TargetAreaID: r.TargetAreaID, UnitID: r.UnitID, Number: r.Number,
			Title: r.Title, IssuedOn: r.IssuedOn, Preamble: r.Preamble, Signer: r.Signer, Status: r.Status, Due: r.Due,
			SubmittedAt: r.SubmittedAt, ReviewedAt: r.ReviewedAt, ReviewComment: r.ReviewComment, CopiedFromID: r.CopiedFromID,
			Objectives: []domain.Objective{}, Budget: []domain.BudgetLine{}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		}}
	if r.UnitParentID != nil {
		p.ReviewerUnitID = *r.UnitParentID
	}
	if r.SubmittedAt != nil {
		p.Late = r.Late
	} else {
		p.Late = p.Plan.Late(now)
	}
	return p
}

func (r *planRow) summary(now time.Time) *PlanSummary {
	p := r.plan(now)
	return &PlanSummary{ID: r.ID, CampaignID: r.CampaignID, TargetAreaID: r.TargetAreaID, UnitID: r.UnitID, UnitName: r.UnitName,
		ReviewerUnitID: p.ReviewerUnitID, Number: r.Number, Title: r.Title, Status: r.Status, Due: r.Due, SubmittedAt: r.SubmittedAt, Late: p.Late,
		Version: r.Version, UpdatedAt: r.UpdatedAt}
}

type objectiveRow struct {
	bun.BaseModel `bun:"table:plan_objectives,alias:po"`

	ID       int64  `bun:"id,pk,autoincrement"`
	PlanID   int64  `bun:"plan_id,notnull"`
	Position int    `bun:"position,notnull"`
	Kind     string `bun:"kind,notnull"`
	Text     string `bun:"text,notnull"`
}

type taskRow struct {
	bun.BaseModel `bun:"table:plan_tasks,alias:pt"`

	ID                   int64       `bun:"id,pk,autoincrement"`
	PlanID               int64       `bun:"plan_id,notnull"`
	Position             int         `bun:"position,notnull"`
	Section              string      `bun:"section,notnull"`
	Title                string      `bun:"title,notnull"`
	Description          string      `bun:"description,notnull"`
	Responsible          string      `bun:"responsible,notnull"`
	ResponsibleUnitIDs   []int64     `bun:"responsible_unit_ids,notnull"`
	ResponsibleMemberIDs []int64     `bun:"responsible_member_ids,notnull"`
	Frequency            string      `bun:"frequency,notnull"`
	Due                  domain.Date `bun:"due"`
	Status               string      `bun:"status,notnull"`
	Version              int         `bun:"version,notnull"`
	CreatedAt            time.Time   `bun:"created_at,notnull"`
	UpdatedAt            time.Time   `bun:"updated_at,notnull"`
}

func taskToRow(planID int64, t domain.Task, now time.Time) *taskRow {
	if t.Status == "" {
		t.Status = domain.TaskNotStarted
	}
	return &taskRow{ID: t.ID, PlanID: planID, Position: t.Position, Section: t.Section, Title: t.Title, Description: t.Description,
		Responsible: t.Responsible, ResponsibleUnitIDs: nonNil(t.ResponsibleUnitIDs), ResponsibleMemberIDs: nonNil(t.ResponsibleMemberIDs),
		Frequency: t.Frequency, Due: t.Due, Status: t.Status, Version: 1, CreatedAt: now, UpdatedAt: now}
}

// task returns the task with its status as of today (overdue derived).
func (r *taskRow) task(today domain.Date) Task {
	t := domain.Task{ID: r.ID, PlanID: r.PlanID, Position: r.Position, Section: r.Section, Title: r.Title, Description: r.Description,
		Responsible: r.Responsible, ResponsibleUnitIDs: nonNil(r.ResponsibleUnitIDs), ResponsibleMemberIDs: nonNil(r.ResponsibleMemberIDs),
		Frequency: r.Frequency, Due: r.Due, Status: r.Status, ProgressNotes: []domain.ProgressNote{}}
	t.Status = domain.TaskStatusAt(t, today)
	return Task{Task: t, Version: r.Version}
}

type noteRow struct {
	bun.BaseModel `bun:"table:task_progress_notes,alias:tn"`

	ID       int64     `bun:"id,pk,autoincrement"`
	TaskID   int64     `bun:"task_id,notnull"`
	AuthorID *int64    `bun:"author_id"`
	Text     string    `bun:"text,notnull"`
	At       time.Time `bun:"at,notnull"`
}

type budgetRow struct {
	bun.BaseModel `bun:"table:budget_lines,alias:bl"`

	ID            int64  `bun:"id,pk,autoincrement"`
	PlanID        int64  `bun:"plan_id,notnull"`
	Position      int    `bun:"position,notnull"`
	Item          string `bun:"item,notnull"`
	Amount        int64  `bun:"amount,notnull"`
	FundingSource string `bun:"funding_source,notnull"`
}

type planEventRow struct {
	bun.BaseModel `bun:"table:plan_events,alias:pe"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	PlanID      int64     `bun:"plan_id,notnull" json:"plan_id"`
	Action      string    `bun:"action,notnull" json:"action"`
	FromStatus  string    `bun:"from_status,notnull" json:"from_status"`
	ToStatus    string    `bun:"to_status,notnull" json:"to_status"`
	ActorID     *int64    `bun:"actor_id" json:"actor_user_id"`
	ActorUnitID *int64    `bun:"actor_unit_id" json:"actor_unit_id"`
	Comment     string    `bun:"comment,notnull" json:"comment,omitempty"`
	Late        bool      `bun:"late,notnull" json:"late"`
	At          time.Time `bun:"at,notnull" json:"at"`
}

// PlanEvent is one transition of a plan's workflow: who, when, from which
// status to which, the reviewer's comment, and whether a submission was late.
type PlanEvent = planEventRow

// selectPlans selects plans visible to the caller: those its scope covers
// (its own and its subtree's) and those about a target area in its scope
// (a ward reads the district's plan for it, to copy from). It fails closed.
func selectPlans(ctx context.Context, db bun.IDB, dst any) (*bun.SelectQuery, error) {
	units, err := scopedUnitIDs(ctx, db)
	if err != nil {
		return nil, err
	}
	areas := db.NewSelect().TableExpr("target_areas AS sta").Column("sta.id").Where("sta.unit_id IN (?)", units)
	return db.NewSelect().Model(dst).Column(planColumns...).
		ColumnExpr("pu.name AS unit_name, pu.kind AS unit_kind, pu.parent_id AS unit_parent_id").
		Join("JOIN units AS pu ON pu.id = p.unit_id").
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("p.unit_id IN (?)", units).WhereOr("p.target_area_id IN (?)", areas)
		}), nil
}

// PlanActorOf returns whether actor is the plan's author
// (domain.PlanActorAuthor), its reviewer (the unit above), or neither ("").
func PlanActorOf(p *Plan, actor Actor) string {
	switch {
	case actor.UnitID == 0:
		return ""
	case actor.UnitID == p.UnitID:
		return domain.PlanActorAuthor
	case actor.UnitID == p.ReviewerUnitID:
		return domain.PlanActorReviewer
	}
	return ""
}

// Decorate fills the caller-dependent fields: the actions it may take and whether it may edit.
func (p *Plan) Decorate(actor Actor) {
	who := PlanActorOf(p, actor)
	p.Actions = nonNil(domain.PlanAvailableActions(p.Status, who))
	p.Editable = who == domain.PlanActorAuthor && domain.PlanEditable(p.Status)
}

// findPlanRow reads one visible plan's row.
func findPlanRow(ctx context.Context, db bun.IDB, id int64) (*planRow, error) {
	row := new(planRow)
	q, err := selectPlans(ctx, db, row)
	if err != nil {
		return nil, err
	}
	if err := q.Where("p.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "Kế hoạch")
	}
	return row, nil
}

// FindPlanByID returns a visible plan with its objectives, tasks (status as
// of now, progress notes with their attachments) and budget. ENOTFOUND
// outside the caller's reach.
func FindPlanByID(ctx context.Context, db bun.IDB, id int64, now time.Time) (*Plan, error) {
	row, err := findPlanRow(ctx, db, id)
	if err != nil {
		return nil, err
	}
	p := row.plan(now)
	var objs []objectiveRow
	if err := db.NewSelect().Model(&objs).Where("po.plan_id = ?", id).OrderExpr("po.position, po.id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, o := range objs {
		p.Objectives = append(p.Objectives, domain.Objective{ID: o.ID, PlanID: o.PlanID, Position: o.Position, Kind: o.Kind, Text: o.Text})
	}
	var tasks []taskRow
	if err := db.NewSelect().Model(&tasks).Where("pt.plan_id = ?", id).OrderExpr("pt.position, pt.id").Scan(ctx); err != nil {
		return nil, err
	}
	today := domain.DateOf(now)
	byID := map[int64]int{}
	for i := range tasks {
		p.Tasks = append(p.Tasks, tasks[i].task(today))
		byID[tasks[i].ID] = i
	}
	if len(tasks) > 0 {
		notes, err := findNotes(ctx, db, "tn.task_id IN (SELECT pt.id FROM plan_tasks AS pt WHERE pt.plan_id = ?)", id)
		if err != nil {
			return nil, err
		}
		for _, n := range notes {
			t := &p.Tasks[byID[n.TaskID]]
			t.ProgressNotes = append(t.ProgressNotes, n)
		}
	}
	var lines []budgetRow
	if err := db.NewSelect().Model(&lines).Where("bl.plan_id = ?", id).OrderExpr("bl.position, bl.id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, b := range lines {
		p.Budget = append(p.Budget, domain.BudgetLine{ID: b.ID, PlanID: b.PlanID, Position: b.Position, Item: b.Item, Amount: b.Amount, FundingSource: b.FundingSource})
	}
	return p, nil
}

// findNotes reads progress notes matching where, each with the ids of its attachments.
func findNotes(ctx context.Context, db bun.IDB, where string, args ...any) ([]domain.ProgressNote, error) {
	var rows []noteRow
	if err := db.NewSelect().Model(&rows).Where(where, args...).OrderExpr("tn.at, tn.id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.ProgressNote, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = domain.ProgressNote{ID: r.ID, TaskID: r.TaskID, At: r.At, Text: r.Text}
		if r.AuthorID != nil {
			out[i].AuthorUserID = *r.AuthorID
		}
		ids[i] = r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var atts []struct {
		ID      int64 `bun:"id"`
		OwnerID int64 `bun:"owner_id"`
	}
	if err := db.NewSelect().Table("attachments").Column("id", "owner_id").
		Where("owner_type = ? AND owner_id IN (?)", OwnerProgressNote, bun.In(ids)).OrderExpr("id").Scan(ctx, &atts); err != nil {
		return nil, err
	}
	for _, a := range atts {
		for i := range out {
			if out[i].ID == a.OwnerID {
				out[i].AttachmentIDs = append(out[i].AttachmentIDs, a.ID)
			}
		}
	}
	return out, nil
}

// PlanFilter selects plans.
type PlanFilter struct {
	CampaignID   *int64
	TargetAreaID *int64
	UnitID       *int64
	Status       *string
	Limit        int
	Offset       int
}

// FindPlans lists the plans visible to the caller.
func FindPlans(ctx context.Context, db bun.IDB, f PlanFilter, now time.Time) ([]*PlanSummary, int, error) {
	var rows []*planRow
	q, err := selectPlans(ctx, db, &rows)
	if err != nil {
		return nil, 0, err
	}
	if f.CampaignID != nil {
		q = q.Where("p.campaign_id = ?", *f.CampaignID)
	}
	if f.TargetAreaID != nil {
		q = q.Where("p.target_area_id = ?", *f.TargetAreaID)
	}
	if f.UnitID != nil {
		q = q.Where("p.unit_id = ?", *f.UnitID)
	}
	if f.Status != nil {
		q = q.Where("p.status = ?", *f.Status)
	}
	f.Limit, f.Offset = limitOffset(f.Limit, f.Offset)
	n, err := q.OrderExpr("p.campaign_id DESC, pu.path, p.id").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*PlanSummary, len(rows))
	for i, r := range rows {
		out[i] = r.summary(now)
	}
	return out, int(n), nil
}

// FindPlanEvents returns the workflow history of a visible plan, oldest first.
func FindPlanEvents(ctx context.Context, db bun.IDB, planID int64) ([]PlanEvent, error) {
	if _, err := findPlanRow(ctx, db, planID); err != nil {
		return nil, err
	}
	var rows []PlanEvent
	if err := db.NewSelect().Model(&rows).Where("pe.plan_id = ?", planID).OrderExpr("pe.at, pe.id").Scan(ctx); err != nil {
		return nil, err
	}
	return nonNil(rows), nil
}

// ObjectiveInput is one objective as a client sends it.
type ObjectiveInput struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Objective is one objective as the API returns it.
type Objective = domain.Objective

// TaskInput is one task as a client sends it.
type TaskInput struct {
	Section              string      `json:"section"`
	Title                string      `json:"title"`
	Description          string      `json:"description"`
	Responsible          string      `json:"responsible"`
	ResponsibleUnitIDs   []int64     `json:"responsible_unit_ids"`
	ResponsibleMemberIDs []int64     `json:"responsible_member_ids"`
	Frequency            string      `json:"frequency"`
	Due                  domain.Date `json:"due"`
	Status               string      `json:"status"`
}

func (in TaskInput) task() domain.Task {
	return domain.Task{Section: in.Section, Title: in.Title, Description: in.Description, Responsible: in.Responsible,
		ResponsibleUnitIDs: nonNil(in.ResponsibleUnitIDs), ResponsibleMemberIDs: nonNil(in.ResponsibleMemberIDs),
		Frequency: in.Frequency, Due: in.Due, Status: in.Status}
}

// BudgetLineInput is one budget line as a client sends it.
type BudgetLineInput struct {
	Item          string `json:"item"`
	Amount        int64  `json:"amount"`
	FundingSource string `json:"funding_source"`
}

// BudgetLine is one budget line as the API returns it.
type BudgetLine = domain.BudgetLine

// NewPlan is a plan as its author unit creates it, with its content.
type NewPlan struct {
	TargetAreaID int64             `json:"target_area_id"`
	Number       string            `json:"number"`
	Title        string            `json:"title"`
	IssuedOn     domain.Date       `json:"issued_on"`
	Preamble     string            `json:"preamble"`
	Signer       string            `json:"signer"`
	Objectives   []ObjectiveInput  `json:"objectives"`
	Tasks        []TaskInput       `json:"tasks"`
	Budget       []BudgetLineInput `json:"budget"`
}

// planContext is what writing a plan needs: its target area and campaign year.
type planContext struct {
	area *TargetArea
	camp *Campaign
}

// loadPlanContext finds the target area (EINVALID naming target_area_id
// when outside the caller's scope) and checks it is approved or in progress.
func loadPlanContext(ctx context.Context, db bun.IDB, targetAreaID int64) (*planContext, error) {
	area, err := FindTargetAreaByID(ctx, db, targetAreaID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"target_area_id": "Địa bàn trọng điểm không tồn tại"})
	} else if err != nil {
		return nil, err
	}
	if area.Status != domain.TargetApproved && area.Status != domain.TargetInProgress {
		return nil, domain.Errorf(domain.ECONFLICT, "Chỉ lập kế hoạch cho địa bàn đã được phê duyệt hoặc đang thực hiện chuyển hóa; %s đang ở trạng thái “%s”.",
			area.UnitName, domain.TargetStatusLabel(area.Status))
	}
	camp := new(campaignRow)
	if err := db.NewSelect().Model(camp).Where("c.id = ?", area.CampaignID).Scan(ctx); err != nil {
		return nil, err
	}
	return &planContext{area: area, camp: camp.campaign()}, nil
}

// refsChecker returns the lookups of ValidatePlanRefs for a plan of
// authorUnit: a responsible unit must be a unit of the caller's province, a
// responsible member a member of the author unit's committee.
func refsChecker(ctx context.Context, db bun.IDB, authorUnitID int64) (unitOK, memberOK func(int64) bool, failed *error, err error) {
	s, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	failed = new(error)
	unitOK = func(id int64) bool {
		q := db.NewSelect().TableExpr("units AS u").Where("u.id = ?", id)
		if !s.All {
			q = q.Where("u.tenant_id = ?", s.TenantID)
		}
		ok, err := q.Exists(ctx)
		if err != nil {
			*failed = err
		}
		return ok
	}
	memberOK = func(id int64) bool {
		ok, err := db.NewSelect().TableExpr("committee_members AS cm").Where("cm.id = ? AND cm.unit_id = ?", id, authorUnitID).Exists(ctx)
		if err != nil {
			*failed = err
		}
		return ok
	}
	return unitOK, memberOK, failed, nil
}

// CreatePlan stores a new draft plan of the caller's unit for a target
// area in its scope, with its objectives, tasks and budget. A ward's plan
// is due on the campaign's ward plan due date. Errors: EINVALID naming
// fields ("title", "tasks[2].due", "budget[0].amount",
// "tasks[1].responsible_member_ids[0]"…), ECONFLICT when the unit already
// has a plan for the area or the area is not approved.
func CreatePlan(ctx context.Context, db bun.IDB, in NewPlan, actor Actor, now time.Time) (*Plan, error) {
	if in.TargetAreaID <= 0 {
		return nil, domain.FieldErrors{"target_area_id": domain.MsgNotChosen("địa bàn trọng điểm")}.Invalid("Dữ liệu không hợp lệ")
	}
	pc, err := loadPlanContext(ctx, db, in.TargetAreaID)
	if err != nil {
		return nil, err
	}
	p := domain.Plan{CampaignID: pc.camp.ID, TargetAreaID: pc.area.ID, UnitID: actor.UnitID, Number: in.Number, Title: in.Title,
		IssuedOn: in.IssuedOn, Preamble: in.Preamble, Signer: in.Signer, Status: domain.PlanDraft}
	for i, o := range in.Objectives {
		p.Objectives = append(p.Objectives, domain.Objective{Position: i + 1, Kind: o.Kind, Text: o.Text})
	}
	for i, t := range in.Tasks {
		dt := t.task()
		dt.Position = i + 1
		p.Tasks = append(p.Tasks, dt)
	}
	for i, b := range in.Budget {
		p.Budget = append(p.Budget, domain.BudgetLine{Position: i + 1, Item: b.Item, Amount: b.Amount, FundingSource: b.FundingSource})
	}
	return insertPlan(ctx, db, p, pc, actor, now)
}

func insertPlan(ctx context.Context, db bun.IDB, p domain.Plan, pc *planContext, actor Actor, now time.Time) (*Plan, error) {
	author, err := tenants.FindUnitByID(ctx, db, actor.UnitID)
	if err != nil {
		return nil, err
	}
	if author.Kind == tenants.KindWard {
		p.Due = pc.camp.WardPlanDue
	}
	if err := domain.ValidatePlan(p, pc.camp.Year); err != nil {
		return nil, err
	}
	unitOK, memberOK, failed, err := refsChecker(ctx, db, actor.UnitID)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidatePlanRefs(p, unitOK, memberOK); *failed != nil {
		return nil, *failed
	} else if err != nil {
		return nil, err
	}
	if exists, err := db.NewSelect().TableExpr("plans AS p").Where("p.target_area_id = ? AND p.unit_id = ?", p.TargetAreaID, p.UnitID).Exists(ctx); err != nil {
		return nil, err
	} else if exists {
		return nil, &domain.Error{Code: domain.ECONFLICT,
			Message: fmt.Sprintf("%s đã có kế hoạch cho địa bàn %s; hãy sửa kế hoạch đó", author.Name, pc.area.UnitName),
			Fields:  map[string]string{"target_area_id": "đã có kế hoạch"}}
	}
	row := &planRow{CampaignID: p.CampaignID, TargetAreaID: p.TargetAreaID, UnitID: p.UnitID, Number: p.Number, Title: p.Title,
		IssuedOn: p.IssuedOn, Preamble: p.Preamble, Signer: p.Signer, Status: domain.PlanDraft, Due: p.Due,
		CopiedFromID: p.CopiedFromID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	if err := replaceObjectives(ctx, db, row.ID, p.Objectives); err != nil {
		return nil, err
	}
	for _, t := range p.Tasks {
		if _, err := db.NewInsert().Model(taskToRow(row.ID, t, now)).Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := replaceBudget(ctx, db, row.ID, p.Budget); err != nil {
		return nil, err
	}
	return FindPlanByID(ctx, db, row.ID, now)
}

func replaceObjectives(ctx context.Context, db bun.IDB, planID int64, objs []domain.Objective) error {
	if _, err := db.NewDelete().Model((*objectiveRow)(nil)).Where("plan_id = ?", planID).Exec(ctx); err != nil {
		return err
	}
	for i, o := range objs {
		if _, err := db.NewInsert().Model(&objectiveRow{PlanID: planID, Position: i + 1, Kind: o.Kind, Text: o.Text}).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func replaceBudget(ctx context.Context, db bun.IDB, planID int64, lines []domain.BudgetLine) error {
	if _, err := db.NewDelete().Model((*budgetRow)(nil)).Where("plan_id = ?", planID).Exec(ctx); err != nil {
		return err
	}
	for i, b := range lines {
		if _, err := db.NewInsert().Model(&budgetRow{PlanID: planID, Position: i + 1, Item: b.Item, Amount: b.Amount, FundingSource: b.FundingSource}).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// CopyPlan starts the caller's unit's draft plan for the same target area
// from a plan it can read (a ward from its district's plan): objectives,
// tasks and budget are copied (domain.CopyPlan), then edited as usual.
// Errors: ENOTFOUND (source outside reach), ECONFLICT (already has a plan).
func CopyPlan(ctx context.Context, db bun.IDB, sourceID int64, actor Actor, now time.Time) (*Plan, error) {
	src, err := FindPlanByID(ctx, db, sourceID, now)
	if err != nil {
		return nil, err
	}
	if src.UnitID == actor.UnitID {
		return nil, domain.Errorf(domain.ECONFLICT, "Không thể sao chép kế hoạch của chính đơn vị mình")
	}
	pc, err := loadPlanContext(ctx, db, src.TargetAreaID)
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID {
			return nil, domain.Errorf(domain.EFORBIDDEN, "Đơn vị của bạn không lập kế hoạch cho địa bàn của kế hoạch này")
		}
		return nil, err
	}
	full := src.Plan
	full.Tasks = make([]domain.Task, len(src.Tasks))
	for i, t := range src.Tasks {
		full.Tasks[i] = t.Task
	}
	p := domain.CopyPlan(full, actor.UnitID, domain.Date{})
	return insertPlan(ctx, db, p, pc, actor, now)
}

// PlanUpdate is a patch of a plan's heading; nil fields are left alone and
// Version is required.
type PlanUpdate struct {
	Version  *int         `json:"version"`
	Number   *string      `json:"number"`
	Title    *string      `json:"title"`
	IssuedOn *domain.Date `json:"issued_on"`
	Preamble *string      `json:"preamble"`
	Signer   *string      `json:"signer"`
}

// editablePlan finds a plan the actor may edit now: EFORBIDDEN when it is
// not the author unit's, ECONFLICT when the plan is neither a draft nor
// returned, or when version is stale (if required, EINVALID when missing).
func editablePlan(ctx context.Context, db bun.IDB, id int64, actor Actor, version *int, now time.Time) (*Plan, error) {
	row, err := findPlanRow(ctx, db, id)
	if err != nil {
		return nil, err
	}
	p := row.plan(now)
	if err := checkAuthor(p, actor); err != nil {
		return nil, err
	}
	if !domain.PlanEditable(p.Status) {
		return nil, domain.Errorf(domain.ECONFLICT, "Không thể sửa kế hoạch vì kế hoạch đang ở trạng thái “%s”; chỉ sửa được khi ở trạng thái “%s” hoặc “%s”.",
			domain.PlanStatusLabel(p.Status), domain.PlanStatusLabel(domain.PlanDraft), domain.PlanStatusLabel(domain.PlanReturned))
	}
	if err := requireVersion("kế hoạch", version, p.Version); err != nil {
		return nil, err
	}
	return p, nil
}

func checkAuthor(p *Plan, actor Actor) error {
	if actor.UnitID != p.UnitID {
		return domain.Errorf(domain.EFORBIDDEN, "Chỉ %s (đơn vị soạn kế hoạch) mới được sửa kế hoạch này.", p.UnitName)
	}
	return nil
}

// bumpPlan increases the plan's version (the optimistic lock every content
// change takes), failing with ECONFLICT when another change came first.
func bumpPlan(ctx context.Context, db bun.IDB, id int64, from int, now time.Time) error {
	res, err := db.NewUpdate().Model((*planRow)(nil)).Set("version = ?", from+1).Set("updated_at = ?", now).
		Where("id = ? AND version = ?", id, from).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleVersion("Kế hoạch", from)
	}
	return nil
}

// UpdatePlan changes a plan's heading. Errors: ENOTFOUND, EFORBIDDEN (not
// the author unit), ECONFLICT (not editable, stale version), EINVALID.
func UpdatePlan(ctx context.Context, db bun.IDB, id int64, upd PlanUpdate, actor Actor, now time.Time) (before, after *Plan, err error) {
	p, err := editablePlan(ctx, db, id, actor, upd.Version, now)
	if err != nil {
		return nil, nil, err
	}
	before = p
	np := p.Plan
	if upd.Number != nil {
		np.Number = *upd.Number
	}
	if upd.Title != nil {
		np.Title = *upd.Title
	}
	if upd.IssuedOn != nil {
		np.IssuedOn = *upd.IssuedOn
	}
	if upd.Preamble != nil {
		np.Preamble = *upd.Preamble
	}
	if upd.Signer != nil {
		np.Signer = *upd.Signer
	}
	np.Objectives, np.Tasks, np.Budget = nil, nil, nil
	if err := domain.ValidatePlan(np, 0); err != nil {
		return nil, nil, err
	}
	if err := bumpPlan(ctx, db, id, p.Version, now); err != nil {
		return nil, nil, err
	}
	row := &planRow{ID: id, Number: np.Number, Title: np.Title, IssuedOn: np.IssuedOn, Preamble: np.Preamble, Signer: np.Signer}
	if _, err := db.NewUpdate().Model(row).Column("number", "title", "issued_on", "preamble", "signer").WherePK().Exec(ctx); err != nil {
		return nil, nil, err
	}
	after, err = FindPlanByID(ctx, db, id, now)
	return before, after, err
}

// ReplaceObjectives replaces a plan's objectives ("Mục tiêu, yêu cầu").
// Errors as UpdatePlan; EINVALID names "objectives[1].text".
func ReplaceObjectives(ctx context.Context, db bun.IDB, id int64, version *int, objs []ObjectiveInput, actor Actor, now time.Time) (before, after *Plan, err error) {
	p, err := editablePlan(ctx, db, id, actor, version, now)
	if err != nil {
		return nil, nil, err
	}
	dp := domain.Plan{Title: p.Title}
	for i, o := range objs {
		dp.Objectives = append(dp.Objectives, domain.Objective{Position: i + 1, Kind: o.Kind, Text: o.Text})
	}
	if err := domain.ValidatePlan(dp, 0); err != nil {
		return nil, nil, err
	}
	if before, err = FindPlanByID(ctx, db, id, now); err != nil {
		return nil, nil, err
	}
	if err := bumpPlan(ctx, db, id, p.Version, now); err != nil {
		return nil, nil, err
	}
	if err := replaceObjectives(ctx, db, id, dp.Objectives); err != nil {
		return nil, nil, err
	}
	after, err = FindPlanByID(ctx, db, id, now)
	return before, after, err
}

// ReplaceBudget replaces a plan's budget estimate. Errors as UpdatePlan;
// EINVALID names "budget[0].amount" (below 0) or "budget[1].item".
func ReplaceBudget(ctx context.Context, db bun.IDB, id int64, version *int, lines []BudgetLineInput, actor Actor, now time.Time) (before, after *Plan, err error) {
	p, err := editablePlan(ctx, db, id, actor, version, now)
	if err != nil {
		return nil, nil, err
	}
	dp := domain.Plan{Title: p.Title}
	for i, b := range lines {
		dp.Budget = append(dp.Budget, domain.BudgetLine{Position: i + 1, Item: b.Item, Amount: b.Amount, FundingSource: b.FundingSource})
	}
	if err := domain.ValidatePlan(dp, 0); err != nil {
		return nil, nil, err
	}
	if before, err = FindPlanByID(ctx, db, id, now); err != nil {
		return nil, nil, err
	}
	if err := bumpPlan(ctx, db, id, p.Version, now); err != nil {
		return nil, nil, err
	}
	if err := replaceBudget(ctx, db, id, dp.Budget); err != nil {
		return nil, nil, err
	}
	after, err = FindPlanByID(ctx, db, id, now)
	return before, after, err
}

// PlanAction is a workflow action's input: the reviewer's comment (required
// to return a plan) and, optionally, the version the client read.
type PlanAction struct {
	Comment string `json:"comment"`
	Version *int   `json:"version,omitempty"`
}

// ActOnPlan performs a workflow action: the author submits (a draft or a
// returned plan), the unit above returns (with a comment) or approves. A
// submission on or after the plan's due date is flagged late. Errors:
// ENOTFOUND, EFORBIDDEN (neither author nor reviewer, or the wrong one),
// ECONFLICT (wrong status, stale version), EINVALID (comment).
func ActOnPlan(ctx context.Context, db bun.IDB, id int64, action string, in PlanAction, actor Actor, now time.Time) (before, after *Plan, err error) {
	row, err := findPlanRow(ctx, db, id)
	if err != nil {
		return nil, nil, err
	}
	p := row.plan(now)
	to, err := domain.CheckPlanTransition(p.Status, action, PlanActorOf(p, actor))
	if err != nil {
		return nil, nil, err
	}
	if err := domain.ValidatePlanAction(action, in.Comment); err != nil {
		return nil, nil, err
	}
	if err := checkVersion("Kế hoạch", in.Version, p.Version); err != nil {
		return nil, nil, err
	}
	if action != domain.PlanActSubmit && actor.UserID != 0 {
		// Separation of duties: whoever submitted the plan does not
		// review it. The author and reviewer units differ, so this holds
		// by construction today; the check keeps it so if a user ever
		// moves between them.
		submitted, err := db.NewSelect().Model((*planEventRow)(nil)).
			Where("pe.plan_id = ? AND pe.action = ? AND pe.actor_id = ?", id, domain.PlanActSubmit, actor.UserID).Exists(ctx)
		if err != nil {
			return nil, nil, err
		}
		if submitted {
			return nil, nil, domain.Errorf(domain.EFORBIDDEN, "Bạn đã gửi duyệt kế hoạch này nên không được duyệt (phê duyệt hoặc trả lại) nó; việc duyệt phải do một cán bộ khác thực hiện")
		}
	}
	if action == domain.PlanActSubmit {
		if n, err := db.NewSelect().Model((*taskRow)(nil)).Where("pt.plan_id = ?", id).Count(ctx); err != nil {
			return nil, nil, err
		} else if n == 0 {
			return nil, nil, domain.Errorf(domain.ECONFLICT, "Kế hoạch chưa có nhiệm vụ nào; hãy thêm nội dung, biện pháp trước khi gửi duyệt.")
		}
	}
	if before, err = FindPlanByID(ctx, db, id, now); err != nil {
		return nil, nil, err
	}
	upd := db.NewUpdate().Model((*planRow)(nil)).Set("status = ?", to).Set("version = ?", p.Version+1).Set("updated_at = ?", now).
		Where("id = ? AND version = ?", id, p.Version)
	late := false
	switch action {
	case domain.PlanActSubmit:
		late = domain.PlanIsLate(now, p.Due)
		upd = upd.Set("submitted_at = ?", now).Set("late = ?", late)
	default:
		upd = upd.Set("reviewed_at = ?", now).Set("review_comment = ?", in.Comment)
	}
	res, err := upd.Exec(ctx)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, staleVersion("Kế hoạch", p.Version)
	}
	ev := &planEventRow{PlanID: id, Action: action, FromStatus: p.Status, ToStatus: to, ActorID: ptrIf(actor.UserID),
		ActorUnitID: ptrIf(actor.UnitID), Comment: in.Comment, Late: late, At: now}
	if _, err := db.NewInsert().Model(ev).Exec(ctx); err != nil {
		return nil, nil, err
	}
	after, err = FindPlanByID(ctx, db, id, now)
	return before, after, err
}

// findTask returns a task of a visible plan with the plan's row.
func findTask(ctx context.Context, db bun.IDB, taskID int64) (*taskRow, *planRow, error) {
	t := new(taskRow)
	if err := db.NewSelect().Model(t).Where("pt.id = ?", taskID).Scan(ctx); err != nil {
		return nil, nil, notFound(err, "Nhiệm vụ")
	}
	p, err := findPlanRow(ctx, db, t.PlanID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil, domain.NotFound("Nhiệm vụ")
	}
	return t, p, err
}

// FindTaskByID returns a task of a visible plan with its progress notes.
func FindTaskByID(ctx context.Context, db bun.IDB, taskID int64, now time.Time) (*Task, *Plan, error) {
	t, p, err := findTask(ctx, db, taskID)
	if err != nil {
		return nil, nil, err
	}
	out := t.task(domain.DateOf(now))
	notes, err := findNotes(ctx, db, "tn.task_id = ?", taskID)
	if err != nil {
		return nil, nil, err
	}
	out.ProgressNotes = notes
	return &out, p.plan(now), nil
}

// AddTask appends a task to an editable plan. Errors as UpdatePlan;
// EINVALID names "title", "section", "due" (outside the campaign year),
// "responsible_member_ids[0]"….
func AddTask(ctx context.Context, db bun.IDB, planID int64, version *int, in TaskInput, actor Actor, now time.Time) (*Task, error) {
	p, err := editablePlan(ctx, db, planID, actor, version, now)
	if err != nil {
		return nil, err
	}
	t := in.task()
	if err := validateTaskFor(ctx, db, p, t); err != nil {
		return nil, err
	}
	var pos int
	if err := db.NewSelect().Model((*taskRow)(nil)).ColumnExpr("COALESCE(MAX(pt.position), 0)").Where("pt.plan_id = ?", planID).Scan(ctx, &pos); err != nil {
		return nil, err
	}
	t.Position = pos + 1
	if err := bumpPlan(ctx, db, planID, p.Version, now); err != nil {
		return nil, err
	}
	row := taskToRow(planID, t, now)
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	out := row.task(domain.DateOf(now))
	return &out, nil
}

// validateTaskFor checks a task of plan p: fields, the campaign year, references.
func validateTaskFor(ctx context.Context, db bun.IDB, p *Plan, t domain.Task) error {
	var year int
	if err := db.NewSelect().Model((*campaignRow)(nil)).Column("year").Where("c.id = ?", p.CampaignID).Scan(ctx, &year); err != nil {
		return err
	}
	if err := domain.ValidateTask(t, year); err != nil {
		return err
	}
	unitOK, memberOK, failed, err := refsChecker(ctx, db, p.UnitID)
	if err != nil {
		return err
	}
	err = domain.ValidatePlanRefs(domain.Plan{Tasks: []domain.Task{t}}, unitOK, memberOK)
	if *failed != nil {
		return *failed
	}
	if e, ok := err.(*domain.Error); ok {
		f := domain.FieldErrors{}
		for k, v := range e.FieldErrors() {
			f[k[len("tasks[0]."):]] = v
		}
		return f.Invalid(e.Message)
	}
	return err
}

// TaskUpdate is a patch of a task; Version is required. Any field but
// Status needs the plan to be editable; Status (progress) can change in
// any plan status but "submitted".
type TaskUpdate struct {
	Version              *int         `json:"version"`
	Section              *string      `json:"section"`
	Title                *string      `json:"title"`
	Description          *string      `json:"description"`
	Responsible          *string      `json:"responsible"`
	ResponsibleUnitIDs   *[]int64     `json:"responsible_unit_ids"`
	ResponsibleMemberIDs *[]int64     `json:"responsible_member_ids"`
	Frequency            *string      `json:"frequency"`
	Due                  *domain.Date `json:"due"`
	Status               *string      `json:"status"`
}

func (u TaskUpdate) contentChanged() bool {
	return u.Section != nil || u.Title != nil || u.Description != nil || u.Responsible != nil || u.ResponsibleUnitIDs != nil ||
		u.ResponsibleMemberIDs != nil || u.Frequency != nil || u.Due != nil
}

// UpdateTask changes a task. Errors: ENOTFOUND, EFORBIDDEN (not the author
// unit), ECONFLICT (plan not editable for content, stale version), EINVALID.
func UpdateTask(ctx context.Context, db bun.IDB, taskID int64, upd TaskUpdate, actor Actor, now time.Time) (before, after *Task, err error) {
	row, prow, err := findTask(ctx, db, taskID)
	if err != nil {
		return nil, nil, err
	}
	p := prow.plan(now)
	if err := checkAuthor(p, actor); err != nil {
		return nil, nil, err
	}
	if upd.contentChanged() && !domain.PlanEditable(p.Status) {
		return nil, nil, domain.Errorf(domain.ECONFLICT, "Không thể sửa nội dung nhiệm vụ vì kế hoạch đang ở trạng thái “%s”; chỉ cập nhật được tiến độ (status).",
			domain.PlanStatusLabel(p.Status))
	}
	if upd.Status != nil && p.Status == domain.PlanSubmitted {
		return nil, nil, domain.Errorf(domain.ECONFLICT, "Không thể cập nhật nhiệm vụ khi kế hoạch đang chờ duyệt.")
	}
	if err := requireVersion("nhiệm vụ", upd.Version, row.Version); err != nil {
		return nil, nil, err
	}
	today := domain.DateOf(now)
	b := row.task(today)
	before = &b
	t := domain.Task{Section: row.Section, Title: row.Title, Description: row.Description, Responsible: row.Responsible,
		ResponsibleUnitIDs: row.ResponsibleUnitIDs, ResponsibleMemberIDs: row.ResponsibleMemberIDs, Frequency: row.Frequency,
		Due: row.Due, Status: row.Status}
	if upd.Section != nil {
		t.Section = *upd.Section
	}
	if upd.Title != nil {
		t.Title = *upd.Title
	}
	if upd.Description != nil {
		t.Description = *upd.Description
	}
	if upd.Responsible != nil {
		t.Responsible = *upd.Responsible
	}
	if upd.ResponsibleUnitIDs != nil {
		t.ResponsibleUnitIDs = nonNil(*upd.ResponsibleUnitIDs)
	}
	if upd.ResponsibleMemberIDs != nil {
		t.ResponsibleMemberIDs = nonNil(*upd.ResponsibleMemberIDs)
	}
	if upd.Frequency != nil {
		t.Frequency = *upd.Frequency
	}
	if upd.Due != nil {
		t.Due = *upd.Due
	}
	if upd.Status != nil {
		t.Status = *upd.Status
	}
	if err := validateTaskFor(ctx, db, p, t); err != nil {
		return nil, nil, err
	}
	nr := taskToRow(row.PlanID, t, now)
	nr.ID, nr.Position, nr.Version, nr.CreatedAt = row.ID, row.Position, row.Version+1, row.CreatedAt
	res, err := db.NewUpdate().Model(nr).ExcludeColumn("id", "plan_id", "position", "created_at").
		Where("pt.id = ? AND pt.version = ?", row.ID, row.Version).Exec(ctx)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, staleVersion("Nhiệm vụ", row.Version)
	}
	if upd.contentChanged() {
		if err := bumpPlan(ctx, db, p.ID, p.Version, now); err != nil {
			return nil, nil, err
		}
	}
	a := nr.task(today)
	return before, &a, nil
}

// DeleteTask removes a task of an editable plan with no progress notes or
// evidence. Errors as UpdateTask.
func DeleteTask(ctx context.Context, db bun.IDB, taskID int64, version *int, actor Actor, now time.Time) (*Task, *Plan, error) {
	row, prow, err := findTask(ctx, db, taskID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := editablePlan(ctx, db, prow.ID, actor, &prow.Version, now); err != nil {
		return nil, nil, err
	}
	if err := requireVersion("nhiệm vụ", version, row.Version); err != nil {
		return nil, nil, err
	}
	if has, err := db.NewSelect().Model((*noteRow)(nil)).Where("tn.task_id = ?", taskID).Exists(ctx); err != nil {
		return nil, nil, err
	} else if has {
		return nil, nil, domain.Errorf(domain.ECONFLICT, "Nhiệm vụ đã có ghi nhận tiến độ, không thể xóa.")
	}
	if has, err := db.NewSelect().TableExpr("attachments AS a").Where("a.owner_type = ? AND a.owner_id = ?", OwnerTask, taskID).Exists(ctx); err != nil {
		return nil, nil, err
	} else if has {
		return nil, nil, domain.Errorf(domain.ECONFLICT, "Nhiệm vụ đã có tài liệu minh chứng, không thể xóa.")
	}
	if err := bumpPlan(ctx, db, prow.ID, prow.Version, now); err != nil {
		return nil, nil, err
	}
	if _, err := db.NewDelete().Model((*taskRow)(nil)).Where("id = ?", taskID).Exec(ctx); err != nil {
		return nil, nil, err
	}
	t := row.task(domain.DateOf(now))
	return &t, prow.plan(now), nil
}

// ProgressNoteInput is a progress note as the author unit writes it.
type ProgressNoteInput struct {
	Text string `json:"text"`
}

// AddProgressNote records progress on a task of the caller's unit's plan.
// Errors: ENOTFOUND, EFORBIDDEN (not the author unit), EINVALID naming "text".
func AddProgressNote(ctx context.Context, db bun.IDB, taskID int64, in ProgressNoteInput, actor Actor, now time.Time) (*domain.ProgressNote, *Plan, error) {
	_, prow, err := findTask(ctx, db, taskID)
	if err != nil {
		return nil, nil, err
	}
	p := prow.plan(now)
	if err := checkAuthor(p, actor); err != nil {
		return nil, nil, err
	}
	fe := domain.FieldErrors{}
	if !hasText(in.Text) {
		fe.AddMsg("text", domain.MsgRequired("Nội dung tiến độ"))
	} else if len([]rune(in.Text)) > 20000 {
		fe.AddMsg("text", domain.MsgTooLong("Nội dung tiến độ", 20000))
	}
	if err := fe.Err(); err != nil {
		return nil, nil, err
	}
	row := &noteRow{TaskID: taskID, AuthorID: ptrIf(actor.UserID), Text: in.Text, At: now}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, nil, err
	}
	return &domain.ProgressNote{ID: row.ID, TaskID: taskID, AuthorUserID: actor.UserID, At: now, Text: in.Text}, p, nil
}

func hasText(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return true
		}
	}
	return false
}
