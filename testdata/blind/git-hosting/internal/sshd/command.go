package sshd

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"example.com/githost/internal/storage"
)

var (
	errBadCommand = errors.New("unsupported command")
	errForbidden  = errors.New("permission denied")
	errLineTooBig = errors.New("line too long")
)

// parseCommand splits an SSH-style exec line ("git-upload-pack 'tools.git'")
// into the git service and the repository name.
func parseCommand(line string) (service, repo string, err error) {
	service, arg, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok {
		return "", "", errBadCommand
	}
	switch service {
	case "git-upload-pack", "git-receive-pack", "git-upload-archive":
	default:
		return "", "", fmt.Errorf("%w: %q", errBadCommand, service)
	}
	arg = strings.Trim(strings.TrimSpace(arg), `'"`)
	arg = strings.TrimPrefix(arg, "/")
	arg = strings.TrimSuffix(arg, ".git")
	if !storage.ValidName(arg) {
		return "", "", storage.ErrInvalidName
	}
	return service, arg, nil
}

// readLine reads one newline-terminated line of at most limit bytes.
func readLine(br *bufio.Reader, limit int) (string, error) {
	var sb strings.Builder
	for {
		chunk, isPrefix, err := br.ReadLine()
		if err != nil {
			return "", err
		}
		sb.Write(chunk)
		if sb.Len() > limit {
			return "", errLineTooBig
		}
		if !isPrefix {
			return sb.String(), nil
		}
	}
}

// readCommand reads and parses the command line of a session.
func readCommand(br *bufio.Reader) (service, repo string, err error) {
	line, err := readLine(br, 1024)
	if err != nil {
		return "", "", err
	}
	return parseCommand(line)
}
