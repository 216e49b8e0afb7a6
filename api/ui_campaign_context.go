package api

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// campaignContext is the campaign a page is about and the caller's other
// campaigns, read through the campaign store (the caller's province only).
type campaignContext struct {
	Campaign  *campaigns.Campaign
	Campaigns []*campaigns.Campaign
}

// campaignFor returns the campaign named by ?campaign=, else the newest
// of the caller's province; Campaign is nil when the province has none.
func (s *Server) campaignFor(c echo.Context) (campaignContext, error) {
	ctx := c.Request().Context()
	list, _, err := campaigns.FindCampaigns(ctx, s.opts.DB, campaigns.CampaignFilter{Limit: 50})
	if err != nil {
		return campaignContext{}, err
	}
	out := campaignContext{Campaigns: list}
	if v := c.QueryParam("campaign"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return out, domain.Invalid("Tham số không hợp lệ", map[string]string{"campaign": "phải là số nguyên dương"})
		}
		camp, err := campaigns.FindCampaignByID(ctx, s.opts.DB, id)
		if err != nil {
			return out, err
		}
		out.Campaign = camp
		return out, nil
	}
	if len(list) > 0 {
		out.Campaign = list[0]
	}
	return out, nil
}

// currentPeriod returns the period of cal whose window holds today, else
// the next one due, else the last.
func currentPeriod(cal []domain.Period, today domain.Date) domain.Period {
	if len(cal) == 0 {
		return domain.Period{}
	}
	for _, p := range cal {
		if !today.After(p.Due) {
			return p
		}
	}
	return cal[len(cal)-1]
}
