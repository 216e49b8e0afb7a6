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
	} else if can("compare:read") {
		// A district or province does not enter reports but watches their
		// due dates: each started period with reports still outstanding in
		// its scope, as the ward's home lists its own.
		v.ShowDeadlines = true
		d, err := s.scopeDeadlines(c, u)
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

// scopeDeadlines lists the campaign's report due dates for a unit above the
// wards: every started period whose reports are not all received in the
// caller's scope, with how many are, linked to its comparison.
func (s *Server) scopeDeadlines(c echo.Context, u *identity.User) ([]deadline, error) {
	cc, err := s.campaignFor(c)
	if err != nil || cc.Campaign == nil {
		return nil, err
	}
	cal := cc.Campaign.Calendar
	if len(cal) == 0 {
		cal = domain.DefaultCalendar(cc.Campaign.Year)
	}
	ctx := c.Request().Context()
	svc := s.compareService()
	today := s.today()
	unit := ""
	if u != nil && u.Unit != nil {
		unit = u.Unit.Name
	}
	var out []deadline
	for _, p := range cal {
		if today.Before(p.Start) {
			continue
		}
		res, err := svc.Compare(ctx, cc.Campaign.ID, p.Code, domain.CompareQuery{Limit: 1})
		if err != nil {
			return nil, err
		}
		r := res.Overall.Rates
		if r.Expected == 0 || r.Received >= r.Expected {
			continue
		}
		label := p.Name + " — " + s.t(c, "home.deadline.received", "received", strconv.Itoa(r.Received), "expected", strconv.Itoa(r.Expected))
		out = append(out, newDeadline(today, label, unit, compareURL(c, cc.Campaign.ID, p.Code, nil), p.Due))
	}
	return out, nil
}
