package session

import (
	"sort"
	"strings"
	"sync"
)

// node is one path segment of the ACL tree.
type node struct {
	name     string
	allow    map[string]bool
	children map[string]*node
}

// ACL is a path-prefix permission tree. One RWMutex guards the whole tree.
type ACL struct {
	mu   sync.RWMutex
	root *node
	gen  int
}

// NewACL returns an empty tree.
func NewACL() *ACL {
	return &ACL{root: &node{children: map[string]*node{}}}
}

func split(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
}

// Grant allows user on path and everything below it.
func (a *ACL) Grant(path, user string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := a.root
	for _, seg := range split(path) {
		c, ok := n.children[seg]
		if !ok {
			c = &node{name: seg, children: map[string]*node{}}
			n.children[seg] = c
		}
		n = c
	}
	if n.allow == nil {
		n.allow = map[string]bool{}
	}
	n.allow[user] = true
	a.gen++
}

// Allowed reports whether user may access path.
func (a *ACL) Allowed(path, user string) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return allowedFrom(a.root, split(path), user) // ok: the recursion below takes no lock
}

func allowedFrom(n *node, segs []string, user string) bool {
	if n.allow[user] {
		return true
	}
	if len(segs) == 0 {
		return false
	}
	c, ok := n.children[segs[0]]
	if !ok {
		return false
	}
	return allowedFrom(c, segs[1:], user)
}

// Walk visits every granted path in order.
func (a *ACL) Walk(fn func(path string, users []string)) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	a.walk(a.root, "", fn)
}

// walk recurses over the tree; only Walk, the outer call, locks.
func (a *ACL) walk(n *node, prefix string, fn func(string, []string)) {
	if len(n.allow) > 0 {
		users := make([]string, 0, len(n.allow))
		for u := range n.allow {
			users = append(users, u)
		}
		sort.Strings(users)
		fn(prefix+"/", users)
	}
	names := make([]string, 0, len(n.children))
	for k := range n.children {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		a.walk(n.children[k], prefix+"/"+k, fn)
	}
}

// Count returns the number of grants below path. The exported entry point
// locks; count recurses lock-free.
func (a *ACL) Count(path string) int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	n := a.find(split(path))
	if n == nil {
		return 0
	}
	return a.count(n)
}

func (a *ACL) find(segs []string) *node {
	n := a.root
	for _, s := range segs {
		n = n.children[s]
		if n == nil {
			return nil
		}
	}
	return n
}

func (a *ACL) count(n *node) int {
	total := len(n.allow)
	for _, c := range n.children {
		total += a.count(c)
	}
	return total
}

// Prune drops empty subtrees, recursing with the lock held only by the caller.
func (a *ACL) Prune() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	removed := prune(a.root)
	if removed > 0 {
		a.gen++
	}
	return removed
}

func prune(n *node) int {
	removed := 0
	for k, c := range n.children {
		removed += prune(c)
		if len(c.children) == 0 && len(c.allow) == 0 {
			delete(n.children, k)
			removed++
		}
	}
	return removed
}

// Generation returns the change counter.
func (a *ACL) Generation() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.gen
}

// Summary renders a short report of the tree.
func (a *ACL) Summary() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var b strings.Builder
	b.WriteString("acl gen ")
	b.WriteString(itoa(a.gen))
	b.WriteString(": ")
	b.WriteString(itoa(a.Count("/"))) // HAZ lock-reentry-under-defer
	b.WriteString(" grants")
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// Clone copies the tree of other into a.
func (a *ACL) Clone(other *ACL) {
	if a == other {
		return
	}
	other.mu.RLock()
	defer other.mu.RUnlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.root = cloneNode(other.root)
	a.gen++
}

func cloneNode(n *node) *node {
	c := &node{name: n.name, children: make(map[string]*node, len(n.children))}
	if n.allow != nil {
		c.allow = make(map[string]bool, len(n.allow))
		for k, v := range n.allow {
			c.allow[k] = v
		}
	}
	for k, ch := range n.children {
		c.children[k] = cloneNode(ch)
	}
	return c
}
