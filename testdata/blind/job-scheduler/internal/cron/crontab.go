package cron

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Entry is one line of a crontab file.
type Entry struct {
	Spec     string
	Schedule *Schedule
	Name     string
	Command  string
	Source   string // file:line
}

// ParseCrontab reads entries of the form
//
//	<five fields | @descriptor> <name> <command...>
//
// Blank lines and lines starting with '#' are ignored.
func ParseCrontab(r io.Reader, source string) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", source, lineNo, err)
		}
		e.Source = fmt.Sprintf("%s:%d", source, lineNo)
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return out, nil
}

func parseLine(line string) (Entry, error) {
	fields := strings.Fields(line)
	n := 5
	if strings.HasPrefix(fields[0], "@") {
		n = 1
	}
	if len(fields) < n+2 {
		return Entry{}, fmt.Errorf("want schedule, name and command, got %q", line)
	}
	spec := strings.Join(fields[:n], " ")
	sched, err := Parse(spec)
	if err != nil {
		return Entry{}, err
	}
	return Entry{
		Spec:     spec,
		Schedule: sched,
		Name:     fields[n],
		Command:  strings.Join(fields[n+1:], " "),
	}, nil
}

// LoadFile parses one crontab file.
func LoadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseCrontab(f, filepath.Base(path))
}

// LoadFiles parses several crontab files in order; each file is closed by
// LoadFile before the next is opened.
func LoadFiles(paths ...string) ([]Entry, error) {
	var all []Entry
	for _, p := range paths {
		entries, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, entries...)
	}
	return all, nil
}

// LoadDir parses every *.cron file of dir, in name order, and rejects
// duplicate job names across files.
func LoadDir(dir string) ([]Entry, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.cron"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	seen := make(map[string]string)
	var all []Entry
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("crontab: %w", err)
		}
		defer f.Close() // HAZ defer-in-loop
		entries, err := ParseCrontab(f, filepath.Base(name))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if prev, dup := seen[e.Name]; dup {
				return nil, fmt.Errorf("crontab: job %q defined at %s and %s", e.Name, prev, e.Source)
			}
			seen[e.Name] = e.Source
		}
		all = append(all, entries...)
	}
	return all, nil
}
