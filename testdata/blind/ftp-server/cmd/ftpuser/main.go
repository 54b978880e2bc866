// Command ftpuser edits the user database:
//
//	ftpuser -users FILE add NAME HOME [QUOTA]
//	ftpuser -users FILE del NAME
//
// The password of "add" is read from FTPUSER_PASSWORD.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"strconv"

	"example.com/ftpsrv/internal/auth"
)

func main() {
	usersFile := flag.String("users", "/etc/ftpsrv/users", "user database")
	flag.Parse()
	if flag.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "usage: ftpuser [-users FILE] add NAME HOME [QUOTA] | del NAME")
		os.Exit(2)
	}

	unlock, err := lockFile(*usersFile + ".lock")
	if err != nil {
		log.Fatalf("ftpuser: %v", err)
	}
	defer unlock()

	switch flag.Arg(0) {
	case "add":
		err = addUser(*usersFile, flag.Args()[1:])
	case "del":
		err = delUser(*usersFile, flag.Arg(1))
	default:
		err = fmt.Errorf("unknown command %q", flag.Arg(0))
	}
	if err != nil {
		log.Fatalf("ftpuser: %v", err) // HAZ exit-skips-defer
	}
}

// lockFile creates path exclusively; the returned function removes it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists: another ftpuser is running", path)
	}
	if err != nil {
		return nil, err
	}
	f.Close()
	return func() { os.Remove(path) }, nil
}

// addUser appends one account line to the database.
func addUser(path string, args []string) error {
	if len(args) < 2 {
		return errors.New("add needs NAME and HOME")
	}
	pass := os.Getenv("FTPUSER_PASSWORD")
	if pass == "" {
		return errors.New("FTPUSER_PASSWORD is empty")
	}
	quota := int64(0)
	if len(args) > 2 {
		q, err := strconv.ParseInt(args[2], 10, 64)
		if err != nil {
			return fmt.Errorf("quota: %w", err)
		}
		quota = q
	}
	var salt [8]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return err
	}
	s := hex.EncodeToString(salt[:])
	line := fmt.Sprintf("%s:%s:%s:%s:%d\n", args[0], s, auth.HashPassword(s, pass), args[1], quota)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// delUser rewrites the database without name.
func delUser(path, name string) error {
	store, err := auth.LoadUsers(path)
	if err != nil {
		return err
	}
	if !store.Delete(name) {
		return fmt.Errorf("no user %q", name)
	}
	return store.Save(path)
}
