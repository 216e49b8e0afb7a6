package campaigns

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// LoadTargetArea stores a target area as data loads give it (the demo's
// Nếnh, approved by Quyết định 301), with its history, without the
// workflow checks an API call goes through; the campaign and unit must be
// inside the caller's scope. Errors: ENOTFOUND, EINVALID.
func LoadTargetArea(ctx context.Context, db bun.IDB, ta *domain.TargetArea, history []domain.TargetEvent, now time.Time) (*TargetArea, error) {
	camp, err := FindCampaignByID(ctx, db, ta.CampaignID)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidateTargetArea(*ta, camp.Year); err != nil {
		return nil, err
	}
	row := &targetAreaRow{CampaignID: ta.CampaignID, UnitID: ta.UnitID, DistrictID: ta.ProposedByUnitID, Status: ta.Status,
		Reason: ta.Reason, Deadline: ta.Deadline, Decision: ta.Decision, ExitDecision: ta.ExitDecision, CarriedFromID: ta.CarriedFromID, Version: 1,
		CreatedAt: now, UpdatedAt: now}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	for _, e := range history {
		e.TargetAreaID = row.ID
		if err := AddTargetEvent(ctx, db, &e); err != nil {
			return nil, err
		}
	}
	return FindTargetAreaByID(ctx, db, row.ID)
}

// LoadPlan stores a plan of p.UnitID as data loads give it, in its given
// status (an issued plan as approved), with its content and a history event
// for a status beyond draft; the content is validated as CreatePlan does.
func LoadPlan(ctx context.Context, db bun.IDB, p domain.Plan, now time.Time) (*Plan, error) {
	pc, err := loadPlanContext(ctx, db, p.TargetAreaID)
	if err != nil {
		return nil, err
	}
	p.CampaignID = pc.camp.ID
	if err := domain.ValidatePlan(p, pc.camp.Year); err != nil {
		return nil, err
	}
	row := &planRow{CampaignID: p.CampaignID, TargetAreaID: p.TargetAreaID, UnitID: p.UnitID, Number: p.Number, Title: p.Title,
		IssuedOn: p.IssuedOn, Preamble: p.Preamble, Signer: p.Signer, Status: p.Status, Due: p.Due, SubmittedAt: p.SubmittedAt,
		ReviewedAt: p.ReviewedAt, ReviewComment: p.ReviewComment, CopiedFromID: p.CopiedFromID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if row.Status == "" {
		row.Status = domain.PlanDraft
	}
	if row.SubmittedAt != nil {
		row.Late = domain.PlanIsLate(*row.SubmittedAt, p.Due)
	}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	if err := replaceObjectives(ctx, db, row.ID, p.Objectives); err != nil {
		return nil, err
	}
	for i, t := range p.Tasks {
		t.Position = i + 1
		if _, err := db.NewInsert().Model(taskToRow(row.ID, t, now)).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := replaceBudget(ctx, db, row.ID, p.Budget); err != nil {
		return nil, err
	}
	if row.Status != domain.PlanDraft {
		ev := &planEventRow{PlanID: row.ID, Action: "load", FromStatus: domain.PlanDraft, ToStatus: row.Status, Comment: "Nạp dữ liệu mẫu", At: now}
		if _, err := db.NewInsert().Model(ev).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return FindPlanByID(ctx, db, row.ID, now)
}

// FindPlanOf returns the plan unitID wrote for a target area, ENOTFOUND when none is visible.
func FindPlanOf(ctx context.Context, db bun.IDB, targetAreaID, unitID int64, now time.Time) (*Plan, error) {
	row := new(planRow)
	q, err := selectPlans(ctx, db, row)
	if err != nil {
		return nil, err
	}
	if err := q.Where("p.target_area_id = ? AND p.unit_id = ?", targetAreaID, unitID).Limit(1).Scan(ctx); err != nil {
		return nil, notFound(err, "Kế hoạch")
	}
	return FindPlanByID(ctx, db, row.ID, now)
}
