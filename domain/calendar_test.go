package domain_test

import (
	"encoding/json"
	"testing"
	"time"

	"chuyenhoa/domain"
)

// MustDate parses an ISO date or fails the test.
func MustDate(tb testing.TB, s string) domain.Date {
	tb.Helper()
	d, err := domain.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// MustPeriod finds a period by code or fails the test.
func MustPeriod(tb testing.TB, cal []domain.Period, code string) domain.Period {
	tb.Helper()
	p, ok := domain.FindPeriod(cal, code)
	if !ok {
		tb.Fatalf("period %q not in calendar", code)
	}
	return p
}

// hcm returns an instant given as wall-clock time in Vietnam.
func hcm(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, domain.VietnamLocation())
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestDefaultCalendar(t *testing.T) {
	for _, tt := range []struct {
		year             int
		code, kind, name string
		start, end, due  string
	}{
		{2024, "Q1", "cumulative", "Quý I năm 2024", "2023-12-15", "2024-03-12", "2024-03-13"},
		{2024, "6T", "cumulative", "6 tháng đầu năm 2024", "2023-12-15", "2024-06-12", "2024-06-13"},
		{2024, "Q3", "window", "Quý III năm 2024", "2024-06-12", "2024-09-12", "2024-09-13"},
		{2024, "NAM", "cumulative", "Năm 2024", "2023-12-15", "2024-12-12", "2024-12-13"},
		{2025, "Q1", "cumulative", "Quý I năm 2025", "2024-12-15", "2025-03-12", "2025-03-13"},
		{2025, "NAM", "cumulative", "Năm 2025", "2024-12-15", "2025-12-12", "2025-12-13"},
		{2000, "Q1", "cumulative", "Quý I năm 2000", "1999-12-15", "2000-03-12", "2000-03-13"},
	} {
		t.Run(tt.code+"/"+tt.start, func(t *testing.T) {
			p := MustPeriod(t, domain.DefaultCalendar(tt.year), tt.code)
			if got, want := p.Kind, tt.kind; got != want {
				t.Errorf("Kind = %q, want %q", got, want)
			}
			if got, want := p.Name, tt.name; got != want {
				t.Errorf("Name = %q, want %q", got, want)
			}
			if got, want := p.Start.String(), tt.start; got != want {
				t.Errorf("Start = %s, want %s", got, want)
			}
			if got, want := p.End.String(), tt.end; got != want {
				t.Errorf("End = %s, want %s", got, want)
			}
			if got, want := p.Due.String(), tt.due; got != want {
				t.Errorf("Due = %s, want %s", got, want)
			}
		})
	}
	t.Run("Codes", func(t *testing.T) {
		cal := domain.DefaultCalendar(2024)
		var codes []string
		for _, p := range cal {
			codes = append(codes, p.Code)
		}
		if got, want := len(codes), 4; got != want {
			t.Fatalf("len = %d, want %d", got, want)
		}
		for i, want := range []string{domain.PeriodQ1, domain.PeriodH1, domain.PeriodQ3, domain.PeriodYear} {
			if got := codes[i]; got != want {
				t.Errorf("codes[%d] = %q, want %q", i, got, want)
			}
		}
	})
	t.Run("Valid", func(t *testing.T) {
		for _, y := range []int{1999, 2000, 2023, 2024, 2025, 2100} {
			if err := domain.ValidateCalendar(domain.DefaultCalendar(y)); err != nil {
				t.Errorf("DefaultCalendar(%d): %v", y, err)
			}
			if err := domain.ValidateCalendar(append(domain.DefaultCalendar(y), domain.MonthlyPeriods(y, 5)...)); err != nil {
				t.Errorf("DefaultCalendar+MonthlyPeriods(%d): %v", y, err)
			}
		}
	})
}

func TestPeriod_Contains(t *testing.T) {
	cal := domain.DefaultCalendar(2024)
	for _, tt := range []struct {
		code, date string
		want       bool
	}{
		{"Q1", "2023-12-14", false},
		{"Q1", "2023-12-15", true}, // first day lies in the previous calendar year
		{"Q1", "2023-12-31", true},
		{"Q1", "2024-01-01", true},
		{"Q1", "2024-02-29", true}, // leap day
		{"Q1", "2024-03-12", true},
		{"Q1", "2024-03-13", false},
		{"6T", "2024-01-10", true},
		{"6T", "2024-06-12", true},
		{"6T", "2024-06-13", false},
		{"Q3", "2024-01-10", false}, // a window, not cumulative
		{"Q3", "2023-12-15", false},
		{"Q3", "2024-06-11", false},
		{"Q3", "2024-06-12", true},
		{"Q3", "2024-09-12", true},
		{"Q3", "2024-09-13", false},
		{"NAM", "2023-12-15", true},
		{"NAM", "2024-12-12", true},
		{"NAM", "2024-12-13", false},
		{"NAM", "2024-12-31", false},
	} {
		t.Run(tt.code+"/"+tt.date, func(t *testing.T) {
			if got, want := MustPeriod(t, cal, tt.code).Contains(MustDate(t, tt.date)), tt.want; got != want {
				t.Errorf("Contains = %v, want %v", got, want)
			}
		})
	}
}

func TestIsLate(t *testing.T) {
	q1 := MustPeriod(t, domain.DefaultCalendar(2024), domain.PeriodQ1) // due 13/03/2024
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"DayBeforeNoon", hcm(t, "2024-03-12 12:00:00"), false},
		{"LastSecondBefore", hcm(t, "2024-03-12 23:59:59"), false},
		{"MidnightOnDue", hcm(t, "2024-03-13 00:00:00"), true},
		{"OnDueDay", hcm(t, "2024-03-13 09:00:00"), true},
		{"AfterDue", hcm(t, "2024-04-01 09:00:00"), true},
		{"Early", hcm(t, "2024-01-05 09:00:00"), false},
		{"UTCStill12thButHCM13th", utc("2024-03-12T17:00:00Z"), true},
		{"UTCOneSecondEarlier", utc("2024-03-12T16:59:59Z"), false},
		{"UTCEveningOf12th", utc("2024-03-12T20:30:00Z"), true},
		{"OtherZone", utc("2024-03-12T13:30:00-04:00"), true}, // 00:30 on 13/03 in Vietnam
		{"OtherZoneEarlier", utc("2024-03-12T12:30:00-04:00"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := domain.IsLate(tt.at, q1), tt.want; got != want {
				t.Errorf("IsLate(%s) = %v, want %v", tt.at.Format(time.RFC3339), got, want)
			}
		})
	}
	t.Run("NoDueDate", func(t *testing.T) {
		if got, want := domain.IsLate(hcm(t, "2099-01-01 00:00:00"), domain.Period{Code: "X"}), false; got != want {
			t.Errorf("IsLate = %v, want %v", got, want)
		}
	})
	t.Run("DueAt", func(t *testing.T) {
		if got, want := q1.DueAt(), utc("2024-03-12T17:00:00Z"); !got.Equal(want) {
			t.Errorf("DueAt = %s, want %s", got, want)
		}
	})
}

func TestTimeliness(t *testing.T) {
	q1 := MustPeriod(t, domain.DefaultCalendar(2024), domain.PeriodQ1)
	var never time.Time
	for _, tt := range []struct {
		name           string
		submitted, now time.Time
		want           string
	}{
		{"OnTime", hcm(t, "2024-03-12 23:59:59"), hcm(t, "2024-05-01 00:00:00"), domain.TimelinessOnTime},
		{"Late", hcm(t, "2024-03-13 00:00:00"), hcm(t, "2024-05-01 00:00:00"), domain.TimelinessLate},
		{"Missing", never, hcm(t, "2024-03-13 00:00:00"), domain.TimelinessMissing},
		{"NotDue", never, hcm(t, "2024-03-12 23:59:59"), domain.TimelinessNotDue},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := domain.Timeliness(q1, tt.submitted, tt.now), tt.want; got != want {
				t.Errorf("Timeliness = %q, want %q", got, want)
			}
		})
	}
}

func TestMonthlyPeriods(t *testing.T) {
	for _, tt := range []struct {
		year, dueDay          int
		code                  string
		name, start, end, due string
	}{
		{2024, 5, "T01", "Tháng 1 năm 2024", "2024-01-01", "2024-01-31", "2024-02-05"},
		{2024, 5, "T02", "Tháng 2 năm 2024", "2024-02-01", "2024-02-29", "2024-03-05"},
		{2023, 5, "T02", "Tháng 2 năm 2023", "2023-02-01", "2023-02-28", "2023-03-05"},
		{2024, 5, "T12", "Tháng 12 năm 2024", "2024-12-01", "2024-12-31", "2025-01-05"},
		{2024, 31, "T01", "Tháng 1 năm 2024", "2024-01-01", "2024-01-31", "2024-02-29"}, // clamped to a leap February
		{2023, 31, "T01", "Tháng 1 năm 2023", "2023-01-01", "2023-01-31", "2023-02-28"},
		{2024, 31, "T03", "Tháng 3 năm 2024", "2024-03-01", "2024-03-31", "2024-04-30"},
		{2024, 0, "T06", "Tháng 6 năm 2024", "2024-06-01", "2024-06-30", "2024-07-01"},
	} {
		t.Run(tt.code+"/"+tt.due, func(t *testing.T) {
			cal := domain.MonthlyPeriods(tt.year, tt.dueDay)
			if got, want := len(cal), 12; got != want {
				t.Fatalf("len = %d, want %d", got, want)
			}
			p := MustPeriod(t, cal, tt.code)
			if got, want := p.Kind, domain.PeriodMonthly; got != want {
				t.Errorf("Kind = %q, want %q", got, want)
			}
			if got, want := p.Name, tt.name; got != want {
				t.Errorf("Name = %q, want %q", got, want)
			}
			if got, want := p.Start.String()+" "+p.End.String()+" "+p.Due.String(), tt.start+" "+tt.end+" "+tt.due; got != want {
				t.Errorf("Start End Due = %s, want %s", got, want)
			}
		})
	}
}

func TestValidateCalendar(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(cal []domain.Period) []domain.Period
		field  string
	}{
		{"Empty", func([]domain.Period) []domain.Period { return nil }, "periods"},
		{"EmptyCode", func(c []domain.Period) []domain.Period { c[1].Code = ""; return c }, "periods[1].code"},
		{"BadCode", func(c []domain.Period) []domain.Period { c[1].Code = "Quý 1"; return c }, "periods[1].code"},
		{"DuplicateCode", func(c []domain.Period) []domain.Period { c[2].Code = "Q1"; return c }, "periods[2].code"},
		{"EmptyName", func(c []domain.Period) []domain.Period { c[3].Name = "  "; return c }, "periods[3].name"},
		{"BadKind", func(c []domain.Period) []domain.Period { c[0].Kind = "quarterly"; return c }, "periods[0].kind"},
		{"EndBeforeStart", func(c []domain.Period) []domain.Period { c[2].End = c[2].Start.AddDays(-1); return c }, "periods[2].end"},
		{"DueOnStart", func(c []domain.Period) []domain.Period { c[0].Due = c[0].Start; return c }, "periods[0].due"},
		{"DueBeforeStart", func(c []domain.Period) []domain.Period { c[0].Due = c[0].Start.AddDays(-3); return c }, "periods[0].due"},
		{"ZeroStart", func(c []domain.Period) []domain.Period { c[1].Start = domain.Date{}; return c }, "periods[1].start"},
		{"ZeroDue", func(c []domain.Period) []domain.Period { c[1].Due = domain.Date{}; return c }, "periods[1].due"},
		{"ImpossibleEnd", func(c []domain.Period) []domain.Period {
			c[0].End = domain.Date{Year: 2023, Month: time.February, Day: 29}
			return c
		}, "periods[0].end"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.ValidateCalendar(tt.mutate(domain.DefaultCalendar(2024)))
			if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
				t.Fatalf("ErrorCode = %q, want %q (err %v)", got, want, err)
			}
			fields := err.(*domain.Error).Fields
			if _, ok := fields[tt.field]; !ok {
				t.Errorf("Fields = %v, want a message for %q", fields, tt.field)
			}
		})
	}
	t.Run("DueOnEndDay", func(t *testing.T) {
		// Only "due after start" is required; a province may ask for the report on the last day.
		cal := domain.DefaultCalendar(2024)
		cal[0].Due = cal[0].End
		if err := domain.ValidateCalendar(cal); err != nil {
			t.Errorf("ValidateCalendar: %v", err)
		}
	})
}

func TestPreviousPeriod(t *testing.T) {
	cal := append(domain.DefaultCalendar(2024), domain.MonthlyPeriods(2024, 5)...)
	for _, tt := range []struct {
		code, want string
	}{
		{"Q1", ""},
		{"6T", "Q1"},
		{"Q3", "6T"},
		{"NAM", "Q3"},
		{"T01", ""},
		{"T02", "T01"},
		{"T12", "T11"},
		{"nope", ""},
	} {
		t.Run(tt.code, func(t *testing.T) {
			p, ok := domain.PreviousPeriod(cal, tt.code)
			if got, want := ok, tt.want != ""; got != want {
				t.Fatalf("ok = %v, want %v (got %q)", got, want, p.Code)
			}
			if got, want := p.Code, tt.want; got != want {
				t.Errorf("PreviousPeriod = %q, want %q", got, want)
			}
		})
	}
	t.Run("OrderIndependent", func(t *testing.T) {
		c := domain.DefaultCalendar(2024)
		rev := []domain.Period{c[3], c[1], c[2], c[0]}
		if p, _ := domain.PreviousPeriod(rev, "NAM"); p.Code != "Q3" {
			t.Errorf("PreviousPeriod = %q, want Q3", p.Code)
		}
	})
}

func TestPeriodContaining(t *testing.T) {
	cal := domain.DefaultCalendar(2024)
	for _, tt := range []struct {
		date, want string
	}{
		{"2023-12-14", ""},
		{"2023-12-15", "Q1"},
		{"2024-02-29", "Q1"},
		{"2024-03-13", "6T"},
		{"2024-06-12", "6T"}, // also in Q3: the period due first wins
		{"2024-06-13", "Q3"},
		{"2024-09-13", "NAM"},
		{"2024-12-12", "NAM"},
		{"2024-12-13", ""},
	} {
		t.Run(tt.date, func(t *testing.T) {
			p, _ := domain.PeriodContaining(cal, MustDate(t, tt.date))
			if got, want := p.Code, tt.want; got != want {
				t.Errorf("PeriodContaining = %q, want %q", got, want)
			}
		})
	}
}

func TestNextDue(t *testing.T) {
	cal := domain.DefaultCalendar(2024)
	for _, tt := range []struct {
		now, want string
	}{
		{"2024-01-01 08:00:00", "Q1"},
		{"2024-03-12 23:59:59", "Q1"},
		{"2024-03-13 00:00:00", "6T"},
		{"2024-12-12 10:00:00", "NAM"},
		{"2024-12-13 00:00:00", ""},
	} {
		t.Run(tt.now, func(t *testing.T) {
			p, _ := domain.NextDue(cal, hcm(t, tt.now))
			if got, want := p.Code, tt.want; got != want {
				t.Errorf("NextDue = %q, want %q", got, want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	t.Run("Parse", func(t *testing.T) {
		for _, tt := range []struct {
			in, want string // want "" means an error
		}{
			{"2024-02-29", "2024-02-29"},
			{"2023-02-29", ""},
			{"2024-13-01", ""},
			{"2024-00-10", ""},
			{"2024-04-31", ""},
			{"0000-01-01", ""},
			{"2024-1-01", ""},
			{"2024/01/01", ""},
			{"+024-01-01", ""},
			{"2024-01-01T00:00:00Z", ""},
			{"", ""},
		} {
			t.Run(tt.in, func(t *testing.T) {
				d, err := domain.ParseDate(tt.in)
				if tt.want == "" {
					if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
						t.Errorf("ParseDate(%q) = %v, %v; want an EINVALID error", tt.in, d, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got, want := d.String(), tt.want; got != want {
					t.Errorf("String = %q, want %q", got, want)
				}
			})
		}
	})
	t.Run("ParseVN", func(t *testing.T) {
		for _, tt := range []struct {
			in, want string
		}{
			{"13/03/2024", "2024-03-13"},
			{"1/3/2024", "2024-03-01"},
			{"29/02/2024", "2024-02-29"},
			{"29/02/2023", ""},
			{"32/01/2024", ""},
			{"13-03-2024", ""},
			{"1/3/24", ""},
			{"1/3/2024/5", ""},
			{"", ""},
		} {
			t.Run(tt.in, func(t *testing.T) {
				d, err := domain.ParseDateVN(tt.in)
				if tt.want == "" {
					if err == nil {
						t.Errorf("ParseDateVN(%q) = %v, want an error", tt.in, d)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got, want := d.String(), tt.want; got != want {
					t.Errorf("String = %q, want %q", got, want)
				}
			})
		}
	})
	t.Run("FormatVN", func(t *testing.T) {
		if got, want := MustDate(t, "2024-03-05").FormatVN(), "05/03/2024"; got != want {
			t.Errorf("FormatVN = %q, want %q", got, want)
		}
	})
	t.Run("Compare", func(t *testing.T) {
		a, b := MustDate(t, "2023-12-31"), MustDate(t, "2024-01-01")
		if got, want := a.Compare(b), -1; got != want {
			t.Errorf("Compare = %d, want %d", got, want)
		}
		if got, want := b.Compare(a), 1; got != want {
			t.Errorf("Compare = %d, want %d", got, want)
		}
		if got, want := a.Compare(a), 0; got != want {
			t.Errorf("Compare = %d, want %d", got, want)
		}
		if !a.Before(b) || b.Before(a) || !b.After(a) || a.After(a) {
			t.Error("Before/After disagree with Compare")
		}
	})
	t.Run("AddDays", func(t *testing.T) {
		for _, tt := range []struct {
			from string
			n    int
			want string
		}{
			{"2023-12-31", 1, "2024-01-01"},
			{"2024-02-28", 1, "2024-02-29"},
			{"2023-02-28", 1, "2023-03-01"},
			{"2024-03-01", -1, "2024-02-29"},
			{"2024-01-01", 366, "2025-01-01"},
		} {
			if got, want := MustDate(t, tt.from).AddDays(tt.n).String(), tt.want; got != want {
				t.Errorf("%s + %d = %s, want %s", tt.from, tt.n, got, want)
			}
		}
	})
	t.Run("DateOf", func(t *testing.T) {
		at := time.Date(2023, time.December, 31, 17, 0, 0, 0, time.UTC) // 00:00 on 1/1 in Vietnam
		if got, want := domain.DateOf(at).String(), "2024-01-01"; got != want {
			t.Errorf("DateOf = %s, want %s", got, want)
		}
		if got, want := domain.DateOf(at.Add(-time.Second)).String(), "2023-12-31"; got != want {
			t.Errorf("DateOf = %s, want %s", got, want)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		p := MustPeriod(t, domain.DefaultCalendar(2024), "Q3")
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"code":"Q3","name":"Quý III năm 2024","kind":"window","start":"2024-06-12","end":"2024-09-12","due":"2024-09-13"}`
		if got := string(b); got != want {
			t.Errorf("Marshal = %s, want %s", got, want)
		}
		var back domain.Period
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if got, want := back, p; got != want {
			t.Errorf("round trip = %+v, want %+v", got, want)
		}
		var z struct{ D domain.Date }
		if b, _ := json.Marshal(z); string(b) != `{"D":null}` {
			t.Errorf("zero Marshal = %s", b)
		}
		if err := json.Unmarshal([]byte(`{"D":null}`), &z); err != nil || !z.D.IsZero() {
			t.Errorf("null Unmarshal = %v, %v", z.D, err)
		}
		for _, bad := range []string{`"2024-02-30"`, `20240101`, `"13/03/2024"`, `""`, `true`} {
			var d domain.Date
			if err := json.Unmarshal([]byte(bad), &d); err == nil {
				t.Errorf("Unmarshal(%s) = %v, want an error", bad, d)
			}
		}
	})
	t.Run("Scan", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			src  any
			want string
		}{
			{"PostgresDate", time.Date(2024, 3, 13, 0, 0, 0, 0, time.UTC), "2024-03-13"},
			{"Text", "2024-03-13", "2024-03-13"},
			{"TextWithTime", "2024-03-13 00:00:00+00:00", "2024-03-13"},
			{"Bytes", []byte("2024-03-13"), "2024-03-13"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var d domain.Date
				if err := d.Scan(tt.src); err != nil {
					t.Fatal(err)
				}
				if got, want := d.String(), tt.want; got != want {
					t.Errorf("Scan = %s, want %s", got, want)
				}
				v, err := d.Value()
				if err != nil {
					t.Fatal(err)
				}
				if got, want := v, any(tt.want); got != want {
					t.Errorf("Value = %v, want %v", got, want)
				}
			})
		}
		var d domain.Date
		if err := d.Scan(nil); err != nil || !d.IsZero() {
			t.Errorf("Scan(nil) = %v, %v", d, err)
		}
		if v, _ := d.Value(); v != nil {
			t.Errorf("zero Value = %v, want nil", v)
		}
		if err := d.Scan(42); err == nil {
			t.Error("Scan(42): want an error")
		}
	})
	t.Run("Time", func(t *testing.T) {
		got := MustDate(t, "2024-03-13").Time()
		if want := time.Date(2024, 3, 12, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("Time = %s, want %s", got, want)
		}
	})
	t.Run("NewDate", func(t *testing.T) {
		if _, err := domain.NewDate(2023, time.February, 29); err == nil {
			t.Error("NewDate(2023-02-29): want an error")
		}
		if _, err := domain.NewDate(2024, time.February, 29); err != nil {
			t.Errorf("NewDate(2024-02-29): %v", err)
		}
	})
}
