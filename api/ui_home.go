package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
)

type homeView struct {
	web.Page
	Shortcuts     []web.NavItem
	ShowDeadlines bool
	Deadlines     []deadline
	ShowReview    bool
	Review        []reviewItem
	ShowActivity  bool
	Activity      []activityItem
	CanAudit      bool
}

// deadline is one thing due: a plan or a period's report.
type deadline struct {
	Label    string
	Unit     string
	Href     string
	Due      domain.Date
	DaysLeft int
	Overdue  bool
}

// reviewItem is one plan, report, target area or exit awaiting the
// caller's decision.
type reviewItem struct {
	Label  string
	Unit   string
	Href   string
	Since  time.Time
	Status string
	Kind   string
}

// activityItem is one audit entry as a person reads it.
type activityItem struct {
	At     time.Time
	ISO    string
	Actor  string
	Action string
	Object string
	Unit   string
}

// homePage shows what the user's role needs first: deadlines for those
// who enter data, the review queue for those who decide, and recent
// activity for those who may read the audit trail.
func (s *Server) homePage(c echo.Context) error {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	can := func(p string) bool { return s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), p) }
	v := homeView{Page: s.page(c)}
	v.Shortcuts = s.homeShortcuts(c, u)
	if can("report:write") {
		v.ShowDeadlines = true
		d, err := s.homeDeadlines(ctx, c)
		if err != nil {
			return err
		}
		v.Deadlines = d
	}
	if can("report:review") || can("target:approve") || can("plan:review") {
		v.ShowReview = true
		r, err := s.homeReview(ctx, c, can)
		if err != nil {
			return err
		}
		v.Review = r
	}
	if can("audit:read") {
		v.ShowActivity, v.CanAudit = true, true
		entries, _, err := audit.FindEntries(ctx, s.opts.DB, audit.Filter{Limit: 10})
		if err != nil {
			return err
		}
		v.Activity = s.activityItems(c, entries)
	}
	return s.render(c, http.StatusOK, "home", v)
}

// homeShortcuts links the main tasks of the user's role.
func (s *Server) homeShortcuts(c echo.Context, u *identity.User) []web.NavItem {
	var out []web.NavItem
	for _, n := range s.navItems(u)[1:] {
		if s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), n.perm) {
			out = append(out, web.NavItem{Href: n.href, Label: s.t(c, n.label)})
		}
	}
	return out
}

// newDeadline computes the days left until due from today.
func newDeadline(today domain.Date, label, unit, href string, due domain.Date) deadline {
	n := web.DaysBetween(today, due)
	return deadline{Label: label, Unit: unit, Href: href, Due: due, DaysLeft: n, Overdue: n < 0}
}

// activityItems turns audit entries into readable rows.
func (s *Server) activityItems(c echo.Context, entries []*audit.Entry) []activityItem {
	ids := make([]int64, 0, len(entries))
	for _, e := range entries {
		if e.UnitID != nil {
			ids = append(ids, *e.UnitID)
		}
	}
	names := s.unitNames(c.Request().Context(), ids)
	cat := s.web.Catalogue()
	lang := s.lang(c)
	out := make([]activityItem, 0, len(entries))
	for _, e := range entries {
		it := activityItem{At: e.At, ISO: e.At.UTC().Format(time.RFC3339), Actor: e.ActorUsername, Action: e.Action}
		if it.Actor == "" {
			it.Actor = cat.T(lang, "audit.system")
		}
		if k := "audit.action." + e.Action; cat.Has(k) {
			it.Action = cat.T(lang, k)
		}
		it.Object = e.ObjectType
		if k := "audit.object." + e.ObjectType; cat.Has(k) {
			it.Object = cat.T(lang, k)
		}
		if e.ObjectID != "" {
			if _, err := strconv.ParseInt(e.ObjectID, 10, 64); err == nil {
				it.Object += " #" + e.ObjectID
			} else {
				it.Object += " " + e.ObjectID
			}
		}
		if e.UnitID != nil {
			it.Unit = names[*e.UnitID]
		}
		out = append(out, it)
	}
	return out
}
