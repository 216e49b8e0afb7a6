package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

// committeeView is the steering committee (Ban Chỉ đạo) of a unit: its
// members by rank with the target areas each is assigned to, and, for a
// role that may write it, the form that adds a member.
type committeeView struct {
	web.Page
	Unit     *tenants.Unit
	Members  []memberView
	CanWrite bool
	Fields   []web.Field
	// Areas are the target areas of the unit's subtree a member may be
	// assigned to, as checkboxes.
	Areas      []web.Option
	AreasError string
	Error      string
}

type memberView struct {
	Name, Position, JobTitle, Agency, Phone string
	Areas                                   []string
}

// committeeForm is what a refused member form sent back.
type committeeForm struct {
	values  map[string]string
	areas   []string
	errs    map[string]string
	summary string
}

// committeeShow shows the committee of a unit in the caller's scope.
func (s *Server) committeeShow(c echo.Context) error {
	return s.renderCommittee(c, http.StatusOK, committeeForm{})
}

func (s *Server) renderCommittee(c echo.Context, status int, in committeeForm) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	unit, err := s.units.FindUnitByID(ctx, id)
	if err != nil {
		return err
	}
	members, err := campaigns.FindCommittee(ctx, s.opts.DB, id)
	if err != nil {
		return err
	}
	// The target areas of the unit's subtree, for names and assignments.
	tas, _, err := campaigns.FindTargetAreas(ctx, s.opts.DB, campaigns.TargetAreaFilter{Limit: 1000})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	v := committeeView{Page: s.page(c), Unit: unit, Error: in.summary}
	for _, ta := range tas {
		names[ta.ID] = ta.UnitName
		active := ta.Status == domain.TargetApproved || ta.Status == domain.TargetInProgress || ta.Status == domain.TargetExitProposed
		if active && (tenants.Scope{Path: unit.Path}).Covers(ta.UnitPath) {
			v.Areas = append(v.Areas, web.Option{Value: itoa(ta.ID), Label: ta.UnitName, Selected: slices.Contains(in.areas, itoa(ta.ID))})
		}
	}
	for _, m := range members {
		mv := memberView{Name: m.FullName, Position: s.t(c, "committee.position."+m.Position), JobTitle: m.JobTitle, Agency: m.Agency, Phone: m.Phone}
		for _, a := range m.TargetAreaIDs {
			mv.Areas = append(mv.Areas, names[a])
		}
		v.Members = append(v.Members, mv)
	}
	v.CanWrite = s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "committee:write")
	if v.CanWrite {
		val := in.values
		if val == nil {
			val = map[string]string{"position": domain.PositionMember}
		}
		pos := web.Field{Name: "position", ID: "m-position", Label: s.t(c, "committee.position"), Type: "select", Error: in.errs["position"], Required: true}
		for _, p := range domain.CommitteePositions() {
			pos.Options = append(pos.Options, web.Option{Value: p, Label: s.t(c, "committee.position."+p), Selected: p == val["position"]})
		}
		v.Fields = []web.Field{
			{Name: "full_name", ID: "m-full_name", Label: s.t(c, "committee.full_name"), Value: val["full_name"], Error: in.errs["full_name"], Required: true, Autocomplete: "off"},
			pos,
			{Name: "job_title", ID: "m-job_title", Label: s.t(c, "committee.job_title"), Hint: s.t(c, "committee.job_title.hint"), Value: val["job_title"], Error: in.errs["job_title"]},
			{Name: "agency", ID: "m-agency", Label: s.t(c, "committee.agency"), Value: val["agency"], Error: in.errs["agency"]},
			{Name: "phone", ID: "m-phone", Label: s.t(c, "committee.phone"), Type: "tel", Value: val["phone"], Error: in.errs["phone"], Autocomplete: "off"},
		}
		for k, msg := range in.errs {
			if strings.HasPrefix(k, "target_area_ids") {
				v.AreasError = msg
			}
		}
	}
	return s.render(c, status, "committee", v)
}
