package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/tenants"
)

type unitView struct {
	web.Page
	Unit     *tenants.Unit
	Crumbs   []web.NavItem
	Children []*tenants.Unit
	Activity []activityItem
	// Links are the unit's committee and models pages the caller may open.
	Links []web.NavItem
}

// unitShow shows one unit of the caller's scope; a unit outside it is
// "not found", exactly as one that does not exist.
func (s *Server) unitShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	unit, err := s.units.FindUnitByID(ctx, id)
	if err != nil {
		return err
	}
	v := unitView{Page: s.page(c), Unit: unit}
	var ancestors []int64
	for _, part := range strings.Split(strings.Trim(unit.Path, "/"), "/") {
		if n, err := strconv.ParseInt(part, 10, 64); err == nil && n != unit.ID {
			ancestors = append(ancestors, n)
		}
	}
	names := s.unitNames(ctx, ancestors)
	for _, a := range ancestors {
		if name, ok := names[a]; ok {
			v.Crumbs = append(v.Crumbs, web.NavItem{Href: "/units/" + itoa(a), Label: name})
		}
	}
	children, _, err := s.units.FindUnits(ctx, tenants.UnitFilter{ParentID: &unit.ID, Limit: 1000})
	if err != nil {
		return err
	}
	v.Children = children
	u := identity.UserFromContext(ctx)
	for _, l := range []navItem{{"/units/" + itoa(unit.ID) + "/committee", "committee.crumb", "committee:read"}, {"/units/" + itoa(unit.ID) + "/models", "models.crumb", "model:read"}} {
		if s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), l.perm) {
			v.Links = append(v.Links, web.NavItem{Href: l.href, Label: s.t(c, l.label)})
		}
	}
	if s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "audit:read") {
		ot, oid := "unit", itoa(unit.ID)
		entries, _, err := audit.FindEntries(ctx, s.opts.DB, audit.Filter{ObjectType: &ot, ObjectID: &oid, Limit: 10})
		if err != nil {
			return err
		}
		v.Activity = s.activityItems(c, entries)
	}
	return s.render(c, http.StatusOK, "unit", v)
}
