package campaigns

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// The end of a campaign year: an area still being transformed is carried
// over into the next year's campaign, and an area exited is watched for
// relapse there. Both create a target area of the next campaign whose
// carried_from_id is the old one, so the unit's history shows both years.

// findCampaignOfYear returns the province's campaign of year inside the
// caller's scope, nil when it has none.
func findCampaignOfYear(ctx context.Context, db bun.IDB, provinceID int64, year int) (*Campaign, error) {
	row := new(campaignRow)
	q, err := whereTenant(ctx, db.NewSelect().Model(row).Where("c.province_id = ? AND c.year = ?", provinceID, year), "c.province_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return row.campaign(), nil
}

// targetOfUnit returns the unit's target area in the campaign, nil when it has none.
func targetOfUnit(ctx context.Context, db bun.IDB, campaignID, unitID int64) (*targetAreaRow, error) {
	row := new(targetAreaRow)
	err := db.NewSelect().Model(row).Where("ta.campaign_id = ? AND ta.unit_id = ?", campaignID, unitID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return row, err
}

// continueTarget inserts the next year's target area of old's unit in camp,
// reached from "not a target area" by action, with its first event.
func continueTarget(ctx context.Context, db bun.IDB, old *TargetArea, camp *Campaign, action, reason string, decision *domain.Document, actor Actor, now time.Time) (*TargetArea, error) {
	to, err := domain.CheckTargetTransition(domain.TargetNone, action, actor.Roles...)
	if err != nil {
		return nil, err
	}
	from := old.ID
	row := &targetAreaRow{CampaignID: camp.ID, UnitID: old.UnitID, DistrictID: old.ProposedByUnitID, Status: to,
		Reason: reason, Deadline: domain.EndOfMonth(camp.Year, time.December), Decision: decision,
		CarriedFromID: &from, Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	ev := &domain.TargetEvent{TargetAreaID: row.ID, Action: action, FromStatus: domain.TargetNone, ToStatus: to,
		ActorUserID: actor.UserID, ActorUnitID: actor.UnitID, ActorRole: roleFor(action, actor.Roles), At: now,
		Decision: decision, Comment: reason}
	if err := AddTargetEvent(ctx, db, ev); err != nil {
		return nil, err
	}
	row.UnitCode, row.UnitName, row.UnitPath = old.UnitCode, old.UnitName, old.UnitPath
	return row.targetArea(), nil
}

// WatchRelapse gives every target area exited in the province's campaign of
// the previous year a target area in campaign, with status relapse_watch
// and carried_from_id the exited one: the area keeps reporting the
// campaign's relapse indicators. Units already in campaign are left alone,
// so calling it again adds nothing; a campaign without a previous one gets
// nothing. It returns the areas it created. Errors: EFORBIDDEN unless
// province, ENOTFOUND for a campaign outside the caller's province.
func WatchRelapse(ctx context.Context, db bun.IDB, campaignID int64, actor Actor, now time.Time) ([]*TargetArea, error) {
	if _, err := domain.CheckTargetTransition(domain.TargetNone, domain.TargetActWatchRelapse, actor.Roles...); err != nil {
		return nil, err
	}
	camp, err := FindCampaignByID(ctx, db, campaignID)
	if err != nil {
		return nil, err
	}
	prev, err := findCampaignOfYear(ctx, db, camp.ProvinceUnitID, camp.Year-1)
	if err != nil || prev == nil {
		return []*TargetArea{}, err
	}
	status := domain.TargetExited
	exited, _, err := FindTargetAreas(ctx, db, TargetAreaFilter{CampaignID: &prev.ID, Status: &status, Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := []*TargetArea{}
	for _, old := range exited {
		if have, err := targetOfUnit(ctx, db, camp.ID, old.UnitID); err != nil {
			return nil, err
		} else if have != nil {
			continue
		}
		reason := fmt.Sprintf("Đã chuyển hóa thành công trong chương trình năm %d", prev.Year)
		if old.ExitDecision != nil {
			reason += " (Quyết định " + old.ExitDecision.String() + ")"
		}
		reason += fmt.Sprintf("; tiếp tục theo dõi, báo cáo các chỉ tiêu tái phức tạp trong năm %d.", camp.Year)
		ta, err := continueTarget(ctx, db, old, camp, domain.TargetActWatchRelapse, reason, nil, actor, now)
		if err != nil {
			return nil, err
		}
		out = append(out, ta)
	}
	return out, nil
}

// CarryOverInput is the province's decision to carry a target area over
// into the next year's campaign.
type CarryOverInput struct {
	// CampaignID is the next year's campaign; by default the province's
	// campaign of the year after the area's.
	CampaignID *int64 `json:"campaign_id,omitempty"`
	domain.TargetActionInput
	// Version, when sent, must be the version of the target area the client read.
	Version *int `json:"version,omitempty"`
}

// CarryOver carries a target area still in progress, or judged not
// exited, over into the next year's campaign: the area becomes
// carried_over, and its unit gets a target area in the next campaign,
// approved at once (carry_in) with the decision if one is sent, its
// carried_from_id the old area. It returns the old area before and after,
// and the new one. Errors: ENOTFOUND (outside scope), EFORBIDDEN (not
// province), ECONFLICT (wrong status, stale version, no campaign for the
// next year yet, or the unit already in it), EINVALID naming "campaign_id"
// for a campaign that is not the next year's of the same province.
func CarryOver(ctx context.Context, db bun.IDB, id int64, in CarryOverInput, actor Actor, now time.Time) (before, after, next *TargetArea, err error) {
	before, after, err = ActOnTargetArea(ctx, db, id, domain.TargetActCarryOver,
		TargetAction{TargetActionInput: in.TargetActionInput, Version: in.Version}, actor, now)
	if err != nil {
		return nil, nil, nil, err
	}
	old, err := FindCampaignByID(ctx, db, before.CampaignID)
	if err != nil {
		return nil, nil, nil, err
	}
	var camp *Campaign
	if in.CampaignID != nil {
		c, err := FindCampaignByID(ctx, db, *in.CampaignID)
		switch {
		case domain.ErrorCode(err) == domain.ENOTFOUND:
			return nil, nil, nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"campaign_id": "Chương trình không tồn tại"})
		case err != nil:
			return nil, nil, nil, err
		case c.ProvinceUnitID != old.ProvinceUnitID || c.Year != old.Year+1:
			return nil, nil, nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"campaign_id": fmt.Sprintf(
				"Chương trình năm %d không phải chương trình năm %d của tỉnh, năm tiếp theo của địa bàn", c.Year, old.Year+1)})
		}
		camp = c
	} else if camp, err = findCampaignOfYear(ctx, db, old.ProvinceUnitID, old.Year+1); err != nil {
		return nil, nil, nil, err
	} else if camp == nil {
		return nil, nil, nil, domain.Errorf(domain.ECONFLICT,
			"Tỉnh chưa có chương trình năm %d; hãy tạo chương trình năm %d trước khi chuyển địa bàn sang năm sau", old.Year+1, old.Year+1)
	}
	if have, err := targetOfUnit(ctx, db, camp.ID, before.UnitID); err != nil {
		return nil, nil, nil, err
	} else if have != nil {
		return nil, nil, nil, domain.Errorf(domain.ECONFLICT, "%s đã là địa bàn của chương trình năm %d (trạng thái “%s”), không thể chuyển sang lần nữa",
			before.UnitName, camp.Year, domain.TargetStatusLabel(have.Status))
	}
	reason := fmt.Sprintf("Tiếp tục chuyển hóa từ chương trình năm %d (%s)", old.Year, strings.ToLower(domain.TargetStatusLabel(before.Status)))
	if c := strings.TrimSpace(in.Comment); c != "" {
		reason += ": " + c
	}
	var decision *domain.Document
	if in.Decision != nil && !in.Decision.IsZero() {
		decision = in.Decision
	}
	next, err = continueTarget(ctx, db, before, camp, domain.TargetActCarryIn, reason, decision, actor, now)
	if err != nil {
		return nil, nil, nil, err
	}
	return before, after, next, nil
}
