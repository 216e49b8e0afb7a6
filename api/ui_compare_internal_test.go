package api

import (
	"testing"
	"time"

	"chuyenhoa/domain"
	"chuyenhoa/store/compare"
)

func TestDefaultComparePeriod(t *testing.T) {
	cal := domain.DefaultCalendar(2026)
	received := map[string]int{}
	get := func(p string) (*compare.Result, error) {
		r := &compare.Result{}
		r.Overall.Rates.Received = received[p]
		return r, nil
	}
	today := domain.Date{Year: 2026, Month: time.November, Day: 26}
	if got := defaultComparePeriod(cal, today, get); got != domain.PeriodYear {
		t.Errorf("nothing received: got %s, want the period containing today", got)
	}
	received[domain.PeriodQ1], received[domain.PeriodQ3] = 3, 2
	if got := defaultComparePeriod(cal, today, get); got != domain.PeriodQ3 {
		t.Errorf("got %s, want the latest period with a received report (Q3)", got)
	}
	early := domain.Date{Year: 2026, Month: time.April, Day: 2}
	if got := defaultComparePeriod(cal, early, get); got != domain.PeriodQ1 {
		t.Errorf("Q3 has not started on 2/4: got %s, want Q1", got)
	}
}
