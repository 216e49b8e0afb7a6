package reports

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// BaselineInput sets the baseline of a target area; Version is the
// version edited (0 to create).
type BaselineInput struct {
	Incidents  *int64      `json:"incidents"`
	PeriodFrom domain.Date `json:"period_from"`
	PeriodTo   domain.Date `json:"period_to"`
	Note       string      `json:"note"`
	Version    int         `json:"version"`
}

func validateBaseline(in BaselineInput) error {
	fe := domain.FieldErrors{}
	switch {
	case in.Incidents == nil:
		fe.AddMsg("incidents", domain.MsgMustEnter("số vụ phạm pháp hình sự, tệ nạn xã hội trước khi chuyển hóa"))
	case *in.Incidents < 0:
		fe.AddMsg("incidents", domain.MsgNegative("Số vụ"))
	}
	if in.PeriodFrom.IsZero() {
		fe.AddMsg("period_from", domain.MsgMustEnter("ngày bắt đầu kỳ so sánh"))
	}
	if in.PeriodTo.IsZero() {
		fe.AddMsg("period_to", domain.MsgMustEnter("ngày kết thúc kỳ so sánh"))
	}
	if !in.PeriodFrom.IsZero() && !in.PeriodTo.IsZero() && in.PeriodTo.Before(in.PeriodFrom) {
		fe.AddMsg("period_to", domain.MsgEndBeforeStart(in.PeriodTo, in.PeriodFrom))
	}
	if len([]rune(in.Note)) > 2000 {
		fe.AddMsg("note", domain.MsgTooLong("Ghi chú", 2000))
	}
	return fe.Err()
}

// FindBaseline returns the baseline of a target area; ENOTFOUND when none
// is entered yet or the area is outside the scope.
func (s *Service) FindBaseline(ctx context.Context, taID int64) (*Baseline, error) {
	if _, err := loadTargetArea(ctx, s.DB, taID); err != nil {
		return nil, err
	}
	b, err := findBaseline(ctx, s.DB, taID)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, domain.NotFound("Số liệu gốc của địa bàn")
	}
	return b, nil
}

// PutBaseline creates or replaces the baseline of a target area. Only the
// police of a unit above the area (the district's) enter it: EFORBIDDEN
// otherwise. ECONFLICT with the current baseline on a stale version. Every
// evaluation of the area is re-materialised in the same transaction.
func (s *Service) PutBaseline(ctx context.Context, taID int64, in BaselineInput) (*Baseline, error) {
	var out *Baseline
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ta, err := loadTargetArea(ctx, tx, taID)
		if err != nil {
			return err
		}
		if err := checkAbove(ctx, tx, ta.UnitID, "Số liệu gốc do Công an cấp huyện nhập"); err != nil {
			return err
		}
		if err := validateBaseline(in); err != nil {
			return err
		}
		c, err := loadCampaign(ctx, tx, ta.CampaignID, "SHARE")
		if err != nil {
			return err
		}
		old, err := findBaseline(ctx, tx, taID)
		if err != nil {
			return err
		}
		cur := 0
		if old != nil {
			cur = old.Version
		}
		if in.Version != cur {
			e := domain.Stale("Số liệu gốc đã được người khác thay đổi; dữ liệu hiện tại được gửi kèm")
			if old != nil {
				e.Detail = old
			}
			return e
		}
		now := s.now()
		b := &Baseline{TargetAreaID: taID, Incidents: *in.Incidents, PeriodFrom: in.PeriodFrom, PeriodTo: in.PeriodTo,
			Note: strings.TrimSpace(in.Note), EnteredBy: actorID(ctx), Version: cur + 1, CreatedAt: now, UpdatedAt: now}
		if old == nil {
			res, err := tx.NewInsert().Model(b).On("CONFLICT (target_area_id) DO NOTHING").Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return domain.Stale("Số liệu gốc vừa được người khác nhập; hãy tải lại")
			}
		} else {
			b.ID, b.CreatedAt = old.ID, old.CreatedAt
			res, err := tx.NewUpdate().Table("baselines").
				Set("incidents = ?", b.Incidents).Set("period_from = ?", b.PeriodFrom).Set("period_to = ?", b.PeriodTo).
				Set("note = ?", b.Note).Set("entered_by = ?", b.EnteredBy).Set("version = ?", b.Version).Set("updated_at = ?", now).
				Where("id = ?", old.ID).Where("version = ?", cur).Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return domain.Stale("Số liệu gốc đã được người khác thay đổi; hãy tải lại")
			}
		}
		if err := s.rematerialise(ctx, tx, c, taID); err != nil {
			return err
		}
		if err := record(ctx, tx, ta.UnitID, "baseline.put", "target_area", taID, old, b); err != nil {
			return err
		}
		b.TenantID, b.CampaignID = c.row.ProvinceID, c.row.ID
		out = b
		return nil
	})
	return out, err
}

// checkAbove refuses a caller whose home unit is the target area's unit
// itself (or outside its ancestors): the step belongs to a higher level.
func checkAbove(ctx context.Context, tx bun.IDB, unitID int64, msg string) error {
	u := identity.UserFromContext(ctx)
	if u == nil {
		return domain.Errorf(domain.EFORBIDDEN, "%s", msg)
	}
	if u.Unit == nil {
		return nil // the platform scope; authorisation has already decided
	}
	target, err := tenants.FindUnitByID(ctx, tx, unitID)
	if err != nil {
		return err
	}
	if target.Path == u.Unit.Path || !strings.HasPrefix(target.Path, u.Unit.Path) {
		return domain.Errorf(domain.EFORBIDDEN, "%s", msg)
	}
	return nil
}

// checkParent refuses a caller whose home unit is not the one directly
// above the target area's unit: the district of a ward under a district,
// the province of a ward directly under it (two-tier). It guards what the
// programme asks of "the district" — reviewing and assessing a ward's
// reports, proposing its exit — so a province never does the job of a
// district that exists.
func checkParent(ctx context.Context, tx bun.IDB, unitID int64, msg string) error {
	u := identity.UserFromContext(ctx)
	if u == nil {
		return domain.Errorf(domain.EFORBIDDEN, "%s", msg)
	}
	if u.Unit == nil {
		return nil // the platform scope; authorisation has already decided
	}
	target, err := tenants.FindUnitByID(ctx, tx, unitID)
	if err != nil {
		return err
	}
	if !tenants.DirectlyUnder(target.Path, u.Unit.ID) {
		return domain.Errorf(domain.EFORBIDDEN, "%s", msg)
	}
	return nil
}
