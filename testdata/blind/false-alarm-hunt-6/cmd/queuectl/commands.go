package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"example.com/falsealarm6/internal/cli"
	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/queue"
)

func flagString(fs *flag.FlagSet, name string) string {
	if f := fs.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

func cmdPush(fs *flag.FlagSet, args []string) error {
	payload := flagString(fs, "payload")
	if payload == "" {
		return cli.Exitf(2, "push: -payload is required")
	}
	id := flagString(fs, "id")
	if id == "" {
		id = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	q, err := queue.Load(journal)
	if err != nil {
		return err
	}
	return q.Push(queue.Item{ID: id, Payload: payload})
}

func cmdPop(fs *flag.FlagSet, args []string) error {
	return lockfile.WithLock(journal+".lock", func() error {
		q, err := queue.Load(journal)
		if err != nil {
			return err
		}
		it, ok := q.TryPop()
		if !ok {
			return cli.Exitf(3, "queue is empty")
		}
		fmt.Printf("%s\t%s\n", it.ID, it.Payload)
		return q.Compact()
	})
}

func cmdLen(fs *flag.FlagSet, args []string) error {
	q, err := queue.Load(journal)
	if err != nil {
		return err
	}
	fmt.Println(q.Len())
	return nil
}

func cmdCompact(fs *flag.FlagSet, args []string) error {
	return lockfile.WithLock(journal+".lock", func() error {
		q, err := queue.Load(journal)
		if err != nil {
			return err
		}
		return q.Compact()
	})
}
