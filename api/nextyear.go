package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"chuyenhoa/store/campaigns"
)

// CarryOverResult is the answer of a carry-over: the old target area, now
// carried_over, and its continuation in the next year's campaign.
type CarryOverResult struct {
	CarriedOver *campaigns.TargetArea `json:"carried_over"`
	Next        *campaigns.TargetArea `json:"next"`
}

func (s *Server) carryOver(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in campaigns.CarryOverInput
	if err := decodeOptional(c, &in); err != nil {
		return err
	}
	_, actor, err := caller(c.Request().Context())
	if err != nil {
		return err
	}
	var out CarryOverResult
	err = s.inTx(c.Request().Context(), func(ctx context.Context, tx bun.Tx) error {
		before, after, next, err := campaigns.CarryOver(ctx, tx, id, in, actor, s.opts.Now().UTC())
		if err != nil {
			return err
		}
		if err := record(ctx, tx, "target_area.carry_over", "target_area", id, after.UnitID, before, after); err != nil {
			return err
		}
		out = CarryOverResult{CarriedOver: after, Next: next}
		return record(ctx, tx, "target_area.carry_in", "target_area", next.ID, next.UnitID, nil, next)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) watchRelapse(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var out []*campaigns.TargetArea
	err = s.inTx(c.Request().Context(), func(ctx context.Context, tx bun.Tx) error {
		out, err = s.watchRelapseTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, items(out))
}

// watchRelapseTx puts the areas exited in the previous year's campaign
// under relapse watch in campaign id, auditing each area it creates.
func (s *Server) watchRelapseTx(ctx context.Context, tx bun.IDB, id int64) ([]*campaigns.TargetArea, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	out, err := campaigns.WatchRelapse(ctx, tx, id, actor, s.opts.Now().UTC())
	if err != nil {
		return nil, err
	}
	for _, ta := range out {
		if err := record(ctx, tx, "target_area.watch_relapse", "target_area", ta.ID, ta.UnitID, nil, ta); err != nil {
			return nil, err
		}
	}
	return out, nil
}
