package object

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// File modes stored in trees.
const (
	ModeFile    uint32 = 0o100644
	ModeExec    uint32 = 0o100755
	ModeSymlink uint32 = 0o120000
	ModeDir     uint32 = 0o040000
)

// TreeEntry is one name in a directory listing.
type TreeEntry struct {
	Mode uint32
	Name string
	ID   ID
}

// IsDir reports whether the entry names a subtree.
func (e TreeEntry) IsDir() bool { return e.Mode == ModeDir }

// Tree is a directory: a sorted list of entries.
type Tree struct {
	Entries []TreeEntry
}

// Encode serialises the tree as "<octal mode> <name>\x00<20-byte id>" records
// in name order.
func (t *Tree) Encode() []byte {
	sort.Slice(t.Entries, func(i, j int) bool { return t.Entries[i].Name < t.Entries[j].Name })
	var buf bytes.Buffer
	for _, e := range t.Entries {
		buf.WriteString(strconv.FormatUint(uint64(e.Mode), 8))
		buf.WriteByte(' ')
		buf.WriteString(e.Name)
		buf.WriteByte(0)
		buf.Write(e.ID[:])
	}
	return buf.Bytes()
}

// DecodeTree parses a tree payload.
func DecodeTree(data []byte) (*Tree, error) {
	t := &Tree{}
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || len(data) < nul+1+len(ID{}) {
			return nil, fmt.Errorf("%w: truncated tree entry", ErrCorrupt)
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: bad mode %q", ErrCorrupt, data[:sp])
		}
		var e TreeEntry
		e.Mode = uint32(mode)
		e.Name = string(data[sp+1 : nul])
		copy(e.ID[:], data[nul+1:])
		t.Entries = append(t.Entries, e)
		data = data[nul+1+len(e.ID):]
	}
	return t, nil
}

// Signature identifies an author or committer at a point in time.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

func (s Signature) String() string {
	_, off := s.When.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s <%s> %d %c%02d%02d", s.Name, s.Email, s.When.Unix(), sign, off/3600, off%3600/60)
}

// ParseSignature is the inverse of Signature.String.
func ParseSignature(line string) (Signature, error) {
	lt := strings.IndexByte(line, '<')
	gt := strings.IndexByte(line, '>')
	if lt < 0 || gt < lt {
		return Signature{}, fmt.Errorf("%w: bad signature %q", ErrCorrupt, line)
	}
	fields := strings.Fields(line[gt+1:])
	if len(fields) != 2 || len(fields[1]) != 5 {
		return Signature{}, fmt.Errorf("%w: bad signature time %q", ErrCorrupt, line)
	}
	secs, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil {
		return Signature{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	hh, _ := strconv.Atoi(fields[1][1:3])
	mm, _ := strconv.Atoi(fields[1][3:5])
	off := hh*3600 + mm*60
	if fields[1][0] == '-' {
		off = -off
	}
	return Signature{
		Name:  strings.TrimSpace(line[:lt]),
		Email: line[lt+1 : gt],
		When:  time.Unix(secs, 0).In(time.FixedZone("", off)),
	}, nil
}

// Commit is a snapshot of a tree with its history.
type Commit struct {
	Tree      ID
	Parents   []ID
	Author    Signature
	Committer Signature
	Message   string
}

// Encode serialises the commit in the usual header-then-message layout.
func (c *Commit) Encode() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", c.Tree)
	for _, p := range c.Parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	fmt.Fprintf(&b, "author %s\n", c.Author)
	fmt.Fprintf(&b, "committer %s\n", c.Committer)
	b.WriteByte('\n')
	b.WriteString(c.Message)
	return []byte(b.String())
}

// DecodeCommit parses a commit payload.
func DecodeCommit(data []byte) (*Commit, error) {
	head, msg, ok := strings.Cut(string(data), "\n\n")
	if !ok {
		return nil, fmt.Errorf("%w: commit without message separator", ErrCorrupt)
	}
	c := &Commit{Message: msg}
	for _, line := range strings.Split(head, "\n") {
		key, val, _ := strings.Cut(line, " ")
		var err error
		switch key {
		case "tree":
			c.Tree, err = ParseID(val)
		case "parent":
			var p ID
			p, err = ParseID(val)
			c.Parents = append(c.Parents, p)
		case "author":
			c.Author, err = ParseSignature(val)
		case "committer":
			c.Committer, err = ParseSignature(val)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}
