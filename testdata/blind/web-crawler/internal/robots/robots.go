// Package robots parses robots.txt files and caches the rules per host.
package robots

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Rules are the allow and disallow path prefixes that apply to one user agent.
type Rules struct {
	Allow      []string
	Disallow   []string
	CrawlDelay time.Duration
}

type group struct {
	agents []string
	rules  Rules
}

// Parse reads a robots.txt body and returns the rules of the group that names
// agent, or of the "*" group when no group does.
func Parse(r io.Reader, agent string) (*Rules, error) {
	var (
		groups []*group
		cur    *group
		inUA   bool
	)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		if key == "user-agent" {
			if !inUA {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
			inUA = true
			continue
		}
		inUA = false
		if cur != nil {
			cur.rules.apply(key, val)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return pick(groups, strings.ToLower(agent)), nil
}

// apply adds one "key: value" line to r.
func (r *Rules) apply(key, val string) {
	switch key {
	case "allow":
		if val != "" {
			r.Allow = append(r.Allow, val)
		}
	case "disallow":
		if val != "" {
			r.Disallow = append(r.Disallow, val)
		}
	case "crawl-delay":
		if secs, err := strconv.ParseFloat(val, 64); err == nil && secs > 0 {
			r.CrawlDelay = time.Duration(secs * float64(time.Second))
		}
	}
}

// pick returns the rules of the most specific group for agent.
func pick(groups []*group, agent string) *Rules {
	var star *Rules
	for _, g := range groups {
		for _, a := range g.agents {
			if a == "*" {
				if star == nil {
					star = &g.rules
				}
				continue
			}
			if strings.Contains(agent, a) {
				return &g.rules
			}
		}
	}
	if star != nil {
		return star
	}
	return &Rules{}
}

// Allowed reports whether path may be fetched: the longest matching prefix
// wins and Allow wins a tie.
func (r *Rules) Allowed(path string) bool {
	if path == "" {
		path = "/"
	}
	allow := longestMatch(r.Allow, path)
	deny := longestMatch(r.Disallow, path)
	return deny < 0 || allow >= deny
}

func longestMatch(prefixes []string, path string) int {
	best := -1
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) && len(p) > best {
			best = len(p)
		}
	}
	return best
}

// WriteTo writes the rules back in robots.txt syntax under "User-agent: *".
func (r *Rules) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range r.Allow {
		b.WriteString("Allow: " + p + "\n")
	}
	for _, p := range r.Disallow {
		b.WriteString("Disallow: " + p + "\n")
	}
	if r.CrawlDelay > 0 {
		fmt.Fprintf(&b, "Crawl-delay: %g\n", r.CrawlDelay.Seconds())
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}
