package reports

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/authz/audit"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// ExitProposalInput is the exit proposal of the unit above the ward: the evidence it rests on.
type ExitProposalInput struct {
	Evidence string `json:"evidence"`
}

// moveTarget changes a target area's status from → to, guarded by from and
// the scope, bumping its version, and appends the event to its history.
func moveTarget(ctx context.Context, tx bun.IDB, ta *targetArea, action, to, comment string, decision *domain.Document, snapshot *string, now time.Time) error {
	cond, args, err := unitScope(ctx, "unit_id")
	if err != nil {
		return err
	}
	q := tx.NewUpdate().Table("target_areas").Set("status = ?", to).Set("version = version + 1").Set("updated_at = ?", now)
	if snapshot != nil {
		q = q.Set("exit_snapshot = ?", *snapshot)
	}
	if decision != nil {
		q = q.Set("exit_decision = ?", mustJSON(decision))
	}
	res, err := q.Where("id = ?", ta.ID).Where("status = ?", ta.Status).Where(cond, args...).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Stale("Trạng thái địa bàn vừa được người khác thay đổi; hãy tải lại")
	}
	ev := &domain.TargetEvent{TargetAreaID: ta.ID, Action: action, FromStatus: ta.Status, ToStatus: to,
		ActorRole: roleFor(action, callerRoles(ctx)), At: now, Decision: decision, Comment: comment}
	if a := audit.ActorFromContext(ctx); a.UserID != 0 {
		ev.ActorUserID, ev.ActorUnitID = a.UserID, a.UnitID
	}
	if err := campaigns.AddTargetEvent(ctx, tx, ev); err != nil {
		return err
	}
	ta.Status = to
	return nil
}

// roleFor returns the caller's role that performs action, for the history.
func roleFor(action string, roles []string) string {
	for _, r := range domain.TargetActionRoles(action) {
		if slices.Contains(roles, r) {
			return r
		}
	}
	return ""
}

// Refusals of a caller that is not the unit directly above the ward.
const (
	msgParentExit   = "Chỉ đơn vị cấp trên trực tiếp của địa bàn (cấp huyện, hoặc cấp tỉnh với xã, phường trực thuộc tỉnh) mới được đề xuất đưa ra khỏi diện trọng điểm"
	msgParentReview = "Chỉ đơn vị cấp trên trực tiếp của địa bàn (cấp huyện, hoặc cấp tỉnh với xã, phường trực thuộc tỉnh) mới được duyệt, đánh giá báo cáo"
)

// ProposeExit proposes taking a target area off the list: only the unit
// directly above the area's ward (its district, or the province for a ward
// directly under it), only while it is in progress, and only when every
// criterion counts as met in the accepted report of the campaign's exit
// period. The proposal freezes that report, its evaluation, the baseline
// and the evidence. EFORBIDDEN, ECONFLICT (with the evaluation when a
// criterion is not met), EINVALID without evidence.
func (s *Service) ProposeExit(ctx context.Context, taID int64, in ExitProposalInput) (*Exit, error) {
	var out *Exit
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ta, err := loadTargetArea(ctx, tx, taID)
		if err != nil {
			return err
		}
		to, err := domain.CheckTargetTransition(ta.Status, domain.TargetActProposeExit, callerRoles(ctx)...)
		if err != nil {
			return err
		}
		if err := checkParent(ctx, tx, ta.UnitID, msgParentExit); err != nil {
			return err
		}
		evidence := strings.TrimSpace(in.Evidence)
		if err := domain.ValidateTargetAction(domain.TargetActProposeExit, domain.TargetActionInput{Comment: evidence}); err != nil {
			return renameField(err, "comment", "evidence")
		}
		c, err := loadCampaign(ctx, tx, ta.CampaignID, "SHARE")
		if err != nil {
			return err
		}
		period := c.row.ExitPeriod
		if period == "" {
			period = domain.PeriodYear
		}
		r, err := findReportByPeriod(ctx, tx, taID, period)
		if err != nil {
			return err
		}
		if r == nil || r.Status != domain.ReportAccepted {
			return domain.Errorf(domain.ECONFLICT, "Chưa thể đề xuất: báo cáo kỳ “%s” của địa bàn chưa được cấp trên trực tiếp chấp nhận", period)
		}
		b, err := findBaseline(ctx, tx, taID)
		if err != nil {
			return err
		}
		ev := domain.Evaluate(evalValues(r, b, c), c.thresholds)
		if err := domain.ExitReadiness(ev); err != nil {
			return err
		}
		now := s.now()
		snap := &ExitSnapshot{Period: period, ReportID: r.ID, ReportRevision: r.SubmittedRevision, Values: r.Values,
			Assessment: r.Assessment, Baseline: b, Evaluation: ev, Evidence: evidence, ProposedAt: now}
		x := &Exit{TargetAreaID: taID, ReportID: r.ID, Period: period, Evidence: evidence, SnapshotJSON: mustJSON(snap),
			ProposedBy: actorID(ctx), ProposedAt: now, Snapshot: snap}
		if _, err := tx.NewInsert().Model(x).Exec(ctx); err != nil {
			return err
		}
		from := ta.Status
		if err := moveTarget(ctx, tx, ta, domain.TargetActProposeExit, to, evidence, nil, &x.SnapshotJSON, now); err != nil {
			return err
		}
		if err := record(ctx, tx, ta.UnitID, "target.exit_propose", "target_area", taID,
			map[string]any{"status": from}, map[string]any{"status": to, "exit_id": x.ID, "report_id": r.ID, "period": period, "met_count": ev.MetCount}); err != nil {
			return err
		}
		x.TargetStatus, x.TenantID, x.CampaignID = to, c.row.ProvinceID, c.row.ID
		out = x
		return nil
	})
	return out, err
}

// DecideExit records the province's decision on the pending exit proposal:
// exited (with the decision's number and date) or not exited (with the
// reason). EFORBIDDEN unless province, ECONFLICT without a pending proposal.
func (s *Service) DecideExit(ctx context.Context, taID int64, in domain.ExitDecisionInput) (*Exit, error) {
	var out *Exit
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ta, err := loadTargetArea(ctx, tx, taID)
		if err != nil {
			return err
		}
		if err := domain.ValidateExitDecision(in); err != nil && in.Action() == "" {
			return err
		}
		action := in.Action()
		to, err := domain.CheckTargetTransition(ta.Status, action, callerRoles(ctx)...)
		if err != nil {
			return err
		}
		if err := checkAbove(ctx, tx, ta.UnitID, "Cấp tỉnh mới được quyết định đưa địa bàn ra khỏi diện trọng điểm"); err != nil {
			return err
		}
		if err := domain.ValidateExitDecision(in); err != nil {
			return err
		}
		c, err := loadCampaign(ctx, tx, ta.CampaignID, "SHARE")
		if err != nil {
			return err
		}
		x := new(Exit)
		err = tx.NewSelect().Model(x).Where("x.target_area_id = ?", taID).Where("x.outcome = ''").
			OrderExpr("x.id DESC").Limit(1).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ECONFLICT, "Địa bàn không có đề xuất đưa ra khỏi diện trọng điểm đang chờ quyết định")
		} else if err != nil {
			return err
		}
		now := s.now()
		x.Outcome, x.Reason, x.DecidedBy, x.DecidedAt = in.Outcome, strings.TrimSpace(in.Reason), actorID(ctx), &now
		if in.Outcome == domain.ExitOutcomeExited && in.Decision != nil {
			x.Decision = in.Decision
			d := mustJSON(in.Decision)
			x.DecisionJSON = &d
		}
		res, err := tx.NewUpdate().Table("target_area_exits").Set("outcome = ?", x.Outcome).Set("reason = ?", x.Reason).
			Set("decision = ?", x.DecisionJSON).Set("decided_by = ?", x.DecidedBy).Set("decided_at = ?", now).
			Where("id = ?", x.ID).Where("outcome = ''").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "Đề xuất vừa được quyết định; hãy tải lại")
		}
		from := ta.Status
		if err := moveTarget(ctx, tx, ta, action, to, x.Reason, x.Decision, nil, now); err != nil {
			return err
		}
		if err := record(ctx, tx, ta.UnitID, "target."+action, "target_area", taID,
			map[string]any{"status": from}, map[string]any{"status": to, "exit_id": x.ID, "decision": x.Decision, "reason": x.Reason}); err != nil {
			return err
		}
		if err := x.decode(); err != nil {
			return err
		}
		x.TargetStatus, x.TenantID, x.CampaignID = to, c.row.ProvinceID, c.row.ID
		out = x
		return nil
	})
	return out, err
}

// FindExits lists the exit proposals of a target area, oldest first.
func (s *Service) FindExits(ctx context.Context, taID int64) ([]*Exit, error) {
	ta, err := loadTargetArea(ctx, s.DB, taID)
	if err != nil {
		return nil, err
	}
	cond, args, err := unitScope(ctx, "sta.unit_id")
	if err != nil {
		return nil, err
	}
	var out []*Exit
	if err := s.DB.NewSelect().Model(&out).Where("x.target_area_id = ?", taID).
		Where("x.target_area_id IN (SELECT sta.id FROM target_areas AS sta WHERE "+cond+")", args...).
		OrderExpr("x.id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, x := range out {
		if err := x.decode(); err != nil {
			return nil, err
		}
		x.TargetStatus = ta.Status
	}
	if out == nil {
		out = []*Exit{}
	}
	return out, nil
}

// renameField moves an EINVALID message from one field name to another.
func renameField(err error, from, to string) error {
	var e *domain.Error
	if !errors.As(err, &e) || e.Fields == nil {
		return err
	}
	if msg, ok := e.Fields[from]; ok {
		delete(e.Fields, from)
		e.Fields[to] = msg
	}
	if m, ok := e.FieldMsgs[from]; ok {
		delete(e.FieldMsgs, from)
		e.FieldMsgs[to] = m
	}
	return e
}
