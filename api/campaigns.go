package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/reports"
	"chuyenhoa/tenants"
)

// registerCampaignRoutes registers the campaign endpoints: campaigns,
// target areas and their history, plans, committees, self-management
// models, budget lines and attachments.
func (s *Server) registerCampaignRoutes() {
	paging := map[string]string{"limit": "page size (1–1000, default 100)", "offset": "rows to skip"}
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/campaigns", Permission: "campaign:create", Tag: "campaigns",
		Summary: "Create the caller's province campaign for a year from its approval decision; calendar, thresholds and ward plan due date default to the seed's and may be sent",
		Body:    "NewCampaign", Response: "Campaign", Created: true, Handler: s.createCampaign})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/campaigns", Permission: "campaign:read", Tag: "campaigns",
		Summary: "List the campaigns of the caller's province, newest year first", Query: merge(paging, map[string]string{"year": "campaign year"}),
		Response: "CampaignPage", Handler: s.listCampaigns})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/campaigns/:id", Permission: "campaign:read", Tag: "campaigns",
		Summary: "Read one campaign with its calendar and thresholds", Response: "Campaign", Handler: s.getCampaign})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/campaigns/:id", Permission: "campaign:update", Tag: "campaigns",
		Summary: "Change a campaign (decision, references, calendar, thresholds…); version is required", Body: "CampaignUpdate", Response: "Campaign", Handler: s.updateCampaign})

	targetQuery := merge(paging, map[string]string{"campaign_id": "campaign id", "unit_id": "unit id", "status": "proposed, approved, rejected, in_progress, exit_proposed, exited, not_exited, carried_over, relapse_watch"})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/campaigns/:id/target-areas", Permission: "target:read", Tag: "target areas",
		Summary: "List the target areas of a campaign inside the caller's scope", Query: targetQuery, Response: "TargetAreaPage", Handler: s.listCampaignTargetAreas})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas", Permission: "target:propose", Tag: "target areas",
		Summary: "The unit directly above the wards (their district, or the province for wards directly under it) proposes them as target areas of a campaign, with the reason (all or nothing); 403 naming a ward another unit is directly above",
		Body:    "Proposal", Response: "TargetAreaList", Created: true, Handler: s.proposeTargetAreas})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas", Permission: "target:read", Tag: "target areas",
		Summary: "List target areas inside the caller's scope", Query: targetQuery, Response: "TargetAreaPage", Handler: s.listTargetAreas})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id", Permission: "target:read", Tag: "target areas",
		Summary: "Read one target area", Response: "TargetArea", Handler: s.getTargetArea})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id/history", Permission: "target:read", Tag: "target areas",
		Summary: "The history of a target area: every transition with who, when, decision and comment", Response: "TargetEventList", Handler: s.targetHistory})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas/approve", Permission: "target:approve", Tag: "target areas",
		Summary: "The province approves a list of proposed target areas at once with one decision (all or nothing)",
		Body:    "BulkTargetAction", Response: "TargetAreaList", Handler: s.bulkTargetAction(domain.TargetActApprove)})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas/:id/approve", Permission: "target:approve", Tag: "target areas",
		Summary: "The province approves a proposed target area; decision (number, date) required", Body: "TargetAction", Response: "TargetArea",
		Handler: s.targetAction(domain.TargetActApprove)})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas/:id/reject", Permission: "target:approve", Tag: "target areas",
		Summary: "The province rejects a proposed target area; comment (the reason) required", Body: "TargetAction", Response: "TargetArea",
		Handler: s.targetAction(domain.TargetActReject)})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas/:id/start", Permission: "target:start", Tag: "target areas",
		Summary: "Mark an approved target area as in progress (district or province)", Body: "TargetAction", Response: "TargetArea",
		Handler: s.targetAction(domain.TargetActStart)})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas/:id/carry-over", Permission: "target:approve", Tag: "target areas",
		Summary: "The province carries an area still in progress, or judged not exited, over into the next year's campaign: it becomes carried_over and its unit a target area of that campaign, approved, continuing it (carried_from_id)",
		Body:    "CarryOverInput", OptionalBody: true, Response: "CarryOverResult", Created: true, Handler: s.carryOver})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/campaigns/:id/relapse-watch", Permission: "target:approve", Tag: "target areas",
		Summary:  "The province puts every area exited in its previous year's campaign under relapse watch in this campaign (status relapse_watch: reports hold only the relapse indicators); creating a campaign does it too; a second call adds nothing",
		Response: "TargetAreaList", Handler: s.watchRelapse})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/units/:id/target-history", Permission: "target:read", Tag: "target areas",
		Summary: "Every target area a unit has been, in every campaign, each with its history", Response: "TargetHistoryList", Handler: s.unitTargetHistory})

	s.registerPlanRoutes(paging)
	s.registerCommitteeRoutes()
	s.registerAttachmentRoutes()
}

// campaignSchemas lists the OpenAPI components of the campaign endpoints.
func campaignSchemas() map[string]any {
	out := map[string]any{
		"NewCampaign":       NewCampaign{},
		"Campaign":          campaigns.Campaign{},
		"CampaignPage":      Page[campaigns.Campaign]{},
		"CampaignUpdate":    campaigns.CampaignUpdate{},
		"Proposal":          campaigns.Proposal{},
		"TargetArea":        campaigns.TargetArea{},
		"TargetAreaList":    ItemList[campaigns.TargetArea]{},
		"TargetAreaPage":    Page[campaigns.TargetArea]{},
		"TargetAction":      campaigns.TargetAction{},
		"BulkTargetAction":  BulkTargetAction{},
		"TargetEventList":   ItemList[domain.TargetEvent]{},
		"TargetHistoryList": ItemList[campaigns.TargetHistory]{},
		"CarryOverInput":    campaigns.CarryOverInput{},
		"CarryOverResult":   CarryOverResult{},
	}
	for _, m := range []map[string]any{planSchemas(), committeeSchemas(), attachmentSchemas()} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// ItemList is the JSON shape of an unpaged list.
type ItemList[T any] struct {
	Items []T `json:"items"`
}

func items[T any](v []T) ItemList[T] {
	if v == nil {
		v = []T{}
	}
	return ItemList[T]{Items: v}
}

// caller returns the signed-in user and the workflow actor of ctx.
func caller(ctx context.Context) (*identity.User, campaigns.Actor, error) {
	u := identity.UserFromContext(ctx)
	if u == nil {
		return nil, campaigns.Actor{}, domain.Errorf(domain.EUNAUTHENTICATED, "Cần đăng nhập")
	}
	return u, campaigns.Actor{UserID: u.ID, UnitID: u.HomeUnitID(), Roles: u.Roles}, nil
}

// inTx runs f in one transaction: a refused request stores nothing.
func (s *Server) inTx(ctx context.Context, f func(ctx context.Context, tx bun.Tx) error) error {
	return s.opts.DB.RunInTx(ctx, nil, f)
}

// record writes an audit entry about an object owned by unitID, inside tx.
func record(ctx context.Context, tx bun.IDB, action, objectType string, objectID, unitID int64, before, after any) error {
	var unit *tenants.Unit
	if unitID > 0 {
		u, err := tenants.FindUnitByID(ctx, tx, unitID)
		if err != nil {
			return err
		}
		unit = u
	}
	return audit.Record(ctx, tx, audit.Change{Action: action, ObjectType: objectType, ObjectID: strconv.FormatInt(objectID, 10), Unit: unit, Before: before, After: after})
}

// NewCampaign is the body of POST /api/v1/campaigns. Fields left out take
// the seed's defaults (domain.NewCampaign).
type NewCampaign struct {
	Year                int                `json:"year"`
	Title               string             `json:"title"`
	Decision            domain.Document    `json:"decision"`
	References          []domain.Document  `json:"references"`
	Calendar            []domain.Period    `json:"calendar"`
	Thresholds          *domain.Thresholds `json:"thresholds"`
	Indicators          []domain.Indicator `json:"indicators"`
	WardPlanDue         *domain.Date       `json:"ward_plan_due"`
	MonthlyReportDueDay *int               `json:"monthly_report_due_day"`
	ExitPeriod          *string            `json:"exit_period"`
	RelapseIndicators   *[]string          `json:"relapse_indicators"`
}

func (s *Server) createCampaign(c echo.Context) error {
	var in NewCampaign
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.createCampaignCmd(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) listCampaigns(c echo.Context) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	f := campaigns.CampaignFilter{Limit: limit, Offset: offset}
	if v := c.QueryParam("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			return domain.Invalid("Tham số không hợp lệ", map[string]string{"year": "phải là một năm"})
		}
		f.Year = &y
	}
	list, n, err := campaigns.FindCampaigns(c.Request().Context(), s.opts.DB, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(list, n, limit, offset))
}

func pageOf[T any](list []*T, n, limit, offset int) Page[*T] {
	if list == nil {
		list = []*T{}
	}
	return Page[*T]{Items: list, Total: n, Limit: limit, Offset: offset}
}

func (s *Server) getCampaign(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	out, err := campaigns.FindCampaignByID(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) updateCampaign(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var upd campaigns.CampaignUpdate
	if err := decodeJSON(c, &upd); err != nil {
		return err
	}
	var out *campaigns.Campaign
	err = s.inTx(c.Request().Context(), func(ctx context.Context, tx bun.Tx) error {
		before, after, err := campaigns.UpdateCampaign(ctx, tx, id, upd, s.opts.Now().UTC())
		if err != nil {
			return err
		}
		// The calendar is frozen once a report is submitted (issue 5).
		if err := reports.CheckCalendarChange(ctx, tx, &before.Campaign, &after.Campaign); err != nil {
			return err
		}
		out = after
		return record(ctx, tx, "campaign.update", "campaign", id, after.ProvinceUnitID, before, after)
	})
	if err != nil {
		return err
	}
	// Calendar and thresholds shape the comparison views.
	s.bump(c, out.ProvinceUnitID, out.ID)
	return c.JSON(http.StatusOK, out)
}

func targetFilter(c echo.Context) (campaigns.TargetAreaFilter, error) {
	limit, offset, err := paging(c)
	if err != nil {
		return campaigns.TargetAreaFilter{}, err
	}
	f := campaigns.TargetAreaFilter{Limit: limit, Offset: offset}
	if f.CampaignID, err = queryID(c, "campaign_id"); err != nil {
		return f, err
	}
	if f.UnitID, err = queryID(c, "unit_id"); err != nil {
		return f, err
	}
	if v := c.QueryParam("status"); v != "" {
		f.Status = &v
	}
	return f, nil
}

func (s *Server) listTargetAreas(c echo.Context) error {
	f, err := targetFilter(c)
	if err != nil {
		return err
	}
	return s.targetPage(c, f)
}

func (s *Server) listCampaignTargetAreas(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := targetFilter(c)
	if err != nil {
		return err
	}
	if _, err := campaigns.FindCampaignByID(c.Request().Context(), s.opts.DB, id); err != nil {
		return err
	}
	f.CampaignID = &id
	return s.targetPage(c, f)
}

func (s *Server) targetPage(c echo.Context, f campaigns.TargetAreaFilter) error {
	list, n, err := campaigns.FindTargetAreas(c.Request().Context(), s.opts.DB, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(list, n, f.Limit, f.Offset))
}

func (s *Server) getTargetArea(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	out, err := campaigns.FindTargetAreaByID(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) targetHistory(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ev, err := campaigns.FindTargetEvents(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, items(ev))
}

func (s *Server) unitTargetHistory(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	h, err := campaigns.FindUnitTargetHistory(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, items(h))
}

func (s *Server) proposeTargetAreas(c echo.Context) error {
	var in campaigns.Proposal
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.proposeTargetAreasCmd(c.Request().Context(), in)
	if err != nil {
		return err
	}
	s.bumpTargets(c, out...)
	return c.JSON(http.StatusCreated, items(out))
}

func (s *Server) targetAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var in campaigns.TargetAction
		if c.Request().ContentLength != 0 {
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
		}
		out, err := s.targetActionCmd(c.Request().Context(), id, action, in)
		if err != nil {
			return err
		}
		s.bumpTargets(c, out)
		return c.JSON(http.StatusOK, out)
	}
}

// BulkTargetAction is the body of POST /api/v1/target-areas/approve: the
// target areas a decision approves, as Quyết định 301 lists them.
type BulkTargetAction struct {
	IDs []int64 `json:"ids"`
	domain.TargetActionInput
}

func (s *Server) bulkTargetAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in BulkTargetAction
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		out, err := s.bulkTargetActionCmd(c.Request().Context(), in.IDs, action, in.TargetActionInput)
		if err != nil {
			return err
		}
		s.bumpTargets(c, out...)
		return c.JSON(http.StatusOK, items(out))
	}
}

// bumpTargets invalidates the comparison views of the campaigns of
// target areas after a committed change to them (proposal, approval,
// rejection, start). The tenant is the caller's province; for the platform
// scope it is read from the campaign.
func (s *Server) bumpTargets(c echo.Context, tas ...*campaigns.TargetArea) {
	ctx := c.Request().Context()
	done := map[int64]bool{}
	for _, ta := range tas {
		if ta == nil || done[ta.CampaignID] {
			continue
		}
		done[ta.CampaignID] = true
		tenantID := int64(0)
		if sc, err := tenants.ScopeFromContext(ctx); err == nil && !sc.All {
			tenantID = sc.TenantID
		} else {
			s.opts.DB.NewSelect().Table("campaigns").Column("province_id").Where("id = ?", ta.CampaignID).Scan(ctx, &tenantID)
		}
		s.bump(c, tenantID, ta.CampaignID)
	}
}
