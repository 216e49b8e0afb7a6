package web

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are drawn on the server as inline SVG: no script, no download,
// printable, and readable without colour (every bar and point carries its
// figure as text; a second series is hatched, not only tinted).

// BarValue is one bar: the fraction Num/Den of the full scale, and the
// figure written beside it.
type BarValue struct {
	Num, Den int64
	Text     string
}

// Bar is one row of a bar chart: a label and one value per series.
type Bar struct {
	Label  string
	Values []BarValue
}

// Point is one point of a line chart: Num/Den of the full scale.
type Point struct {
	Label    string
	Num, Den int64
	Text     string
	// Missing leaves a gap (no data for the period).
	Missing bool
}

const (
	chartWidth  = 640
	labelWidth  = 200
	valueWidth  = 70
	barHeight   = 14
	seriesGap   = 2
	rowGap      = 10
	chartMargin = 8
)

func esc(s string) string { return template.HTMLEscapeString(s) }

// scaled returns num/den of full, 0 for an empty ratio, clamped to [0, full].
func scaled(num, den int64, full int) int {
	if den <= 0 || num <= 0 {
		return 0
	}
	v := int(num * int64(full) / den)
	return min(max(v, 0), full)
}

// BarChart draws horizontal bars, one group per Bar, one bar per series.
func BarChart(title, desc string, series []string, bars []Bar) template.HTML {
	n := max(len(series), 1)
	groupH := n*barHeight + (n-1)*seriesGap
	legendH := 0
	if len(series) > 1 {
		legendH = 24
	}
	h := chartMargin*2 + legendH + len(bars)*(groupH+rowGap)
	plot := chartWidth - labelWidth - valueWidth
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d" class="chart">`,
		chartWidth, h, chartWidth, h, chartID(title), chartID(title))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, chartID(title), esc(title), chartID(title), esc(desc))
	hatch := chartID(title) + "-h"
	fmt.Fprintf(&b, `<defs><pattern id="%s" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e8f0fb"/><line x1="0" y1="0" x2="0" y2="6" stroke="#0b4f8a" stroke-width="3"/></pattern></defs>`, hatch)
	y := chartMargin
	if len(series) > 1 {
		x := labelWidth
		for i, s := range series {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="14" fill="%s" stroke="#0b4f8a"/><text x="%d" y="%d" font-size="13">%s</text>`,
				x, y, seriesFill(i, hatch), x+20, y+12, esc(s))
			x += 30 + 9*len([]rune(s))
		}
		y += legendH
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555"/>`, labelWidth, chartMargin+legendH-2, labelWidth, h-chartMargin)
	for _, bar := range bars {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" text-anchor="end">%s</text>`, labelWidth-6, y+groupH/2+5, esc(clip(bar.Label, 28)))
		for i, v := range bar.Values {
			by := y + i*(barHeight+seriesGap)
			w := scaled(v.Num, v.Den, plot)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#0b4f8a"/>`, labelWidth, by, max(w, 1), barHeight, seriesFill(i, hatch))
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12">%s</text>`, labelWidth+w+4, by+barHeight-3, esc(v.Text))
		}
		y += groupH + rowGap
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// LineChart draws points joined by a line over labelled periods, on a
// scale from 0 to the full fraction 1, with the top marked top.
func LineChart(title, desc, top string, points []Point) template.HTML {
	const h, left, bottom, topPad = 220, 40, 40, 20
	plotH := h - bottom - topPad
	plotW := chartWidth - left - 20
	var b strings.Builder
	id := chartID(title)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d" class="chart">`,
		chartWidth, h, chartWidth, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555"/>`,
		left, topPad, left, topPad+plotH, left, topPad+plotH, left+plotW, topPad+plotH)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text><text x="%d" y="%d" font-size="12" text-anchor="end">0</text>`,
		left-4, topPad+4, esc(top), left-4, topPad+plotH)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#c8ccd0" stroke-dasharray="4 3"/>`, left, topPad, left+plotW, topPad)
	step := plotW
	if len(points) > 1 {
		step = plotW / (len(points) - 1)
	}
	var path []string
	for i, p := range points {
		x := left + i*step
		if len(points) == 1 {
			x = left + plotW/2
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle">%s</text>`, x, h-bottom+18, esc(clip(p.Label, 16)))
		if p.Missing {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle">—</text>`, x, topPad+plotH-6)
			continue
		}
		y := topPad + plotH - scaled(p.Num, p.Den, plotH)
		path = append(path, fmt.Sprintf("%d,%d", x, y))
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="5" fill="#0b4f8a"/><text x="%d" y="%d" font-size="12" text-anchor="middle" font-weight="bold">%s</text>`, x, y, x, y-9, esc(p.Text))
	}
	if len(path) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#0b4f8a" stroke-width="2"/>`, strings.Join(path, " "))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func seriesFill(i int, hatch string) string {
	if i%2 == 1 {
		return "url(#" + hatch + ")"
	}
	return "#0b4f8a"
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// chartID makes an element id from a title.
func chartID(title string) string {
	var b strings.Builder
	b.WriteString("ch")
	for _, r := range title {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
		if b.Len() > 20 {
			break
		}
	}
	return fmt.Sprintf("%s%d", b.String(), len(title))
}
