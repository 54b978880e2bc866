package memorylimiter

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
)

const (
	cgroupV2Limit = "/sys/fs/cgroup/memory.max"
	cgroupV1Limit = "/sys/fs/cgroup/memory/memory.limit_in_bytes"
)

// errUnlimited means the cgroup sets no memory limit.
var errUnlimited = errors.New("cgroup sets no memory limit")

// parseLimit reads a cgroup limit file: a byte count, or "max" on v2.
func parseLimit(r io.Reader) (uint64, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	line = strings.TrimSpace(line)
	if line == "max" {
		return 0, errUnlimited
	}
	v, err := strconv.ParseUint(line, 10, 64)
	if err != nil {
		return 0, err
	}
	if v >= 1<<62 {
		// cgroup v1 reports "unlimited" as a huge page-aligned number
		return 0, errUnlimited
	}
	return v, nil
}

// readLimitFile opens, parses and closes one limit file.
func readLimitFile(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseLimit(f)
}

// ContainerLimit returns the container's memory limit in bytes, trying
// cgroup v2 first and then v1.
func ContainerLimit() (uint64, error) {
	v, err := readLimitFile(cgroupV2Limit)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, errUnlimited) {
		return 0, err
	}
	return readLimitFile(cgroupV1Limit)
}

// containerLimitLegacy is the older lookup, kept as a fallback, that reads
// both hierarchies through one file handle.
func containerLimitLegacy() (uint64, error) {
	f, err := os.Open(cgroupV2Limit)
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	v, err := parseLimit(f)
	if errors.Is(err, errUnlimited) {
		f, err = os.Open(cgroupV1Limit)
		if err != nil {
			return 0, err
		}
		v, err = parseLimit(f)
	}
	return v, err
}

// DefaultLimitMiB is 80% of the container limit, or fallback when there is
// none.
func DefaultLimitMiB(fallback uint64) uint64 {
	limit, err := ContainerLimit()
	if err != nil {
		if legacy, lerr := containerLimitLegacy(); lerr == nil {
			limit, err = legacy, nil
		}
	}
	if err != nil || limit == 0 {
		return fallback
	}
	return limit * 8 / 10 >> 20
}
