// Command relay-bot is a small utility bot: it joins rooms and answers
// "!ping", "!time" and the triggers of an optional replies file. With -say
// it posts one message and exits, for deploy notifications.
package main

import (
	"bufio"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/chatrelay/internal/protocol"
)

func main() {
	addr := flag.String("relay", "127.0.0.1:6667", "relay address")
	nick := flag.String("nick", "bot", "nick")
	rooms := flag.String("rooms", "#general", "comma-separated rooms")
	repliesPath := flag.String("replies", "", "file of trigger<TAB>reply lines")
	sayText := flag.String("say", "", "post this text to the first room and exit")
	flag.Parse()

	if *sayText != "" {
		room := strings.Split(*rooms, ",")[0]
		if err := say(*addr, *nick, room, *sayText); err != nil {
			log.Fatalf("relay-bot: say: %v", err)
		}
		return
	}
	replies := map[string]string{}
	if *repliesPath != "" {
		var err error
		if replies, err = loadReplies(*repliesPath); err != nil {
			log.Fatalf("relay-bot: %v", err)
		}
	}

	conn, err := net.DialTimeout("tcp", *addr, 5*time.Second)
	if err != nil {
		log.Fatalf("relay-bot: %v", err)
	}
	defer conn.Close()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)

	if err := login(conn, *nick, strings.Split(*rooms, ",")); err != nil {
		log.Printf("relay-bot: login: %v", err)
		return
	}
	lines := make(chan string, 16)
	go readLines(conn, lines)
	for {
		select {
		case <-sigs:
			_ = protocol.WriteLine(conn, "QUIT bot stopping")
			return
		case line, ok := <-lines:
			if !ok {
				log.Printf("relay-bot: relay closed the connection")
				return
			}
			if reply, ok := respond(*nick, line, replies, time.Now()); ok {
				if err := protocol.WriteLine(conn, reply); err != nil {
					log.Printf("relay-bot: %v", err)
					return
				}
			}
		}
	}
}

// login sends NICK and JOINs.
func login(conn net.Conn, nick string, rooms []string) error {
	if err := protocol.WriteLine(conn, "NICK "+nick); err != nil {
		return err
	}
	for _, r := range rooms {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if err := protocol.WriteLine(conn, "JOIN "+r); err != nil {
			return err
		}
	}
	return nil
}

// readLines forwards lines from conn to out and closes out when the
// connection ends. It is the only sender on out.
func readLines(conn net.Conn, out chan<- string) {
	defer close(out)
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		out <- sc.Text()
	}
}

// respond returns the bot's answer to a chat line, if any.
func respond(nick, line string, replies map[string]string, now time.Time) (string, bool) {
	// MSG <#room> <from> <text>
	parts := strings.SplitN(line, " ", 4)
	if len(parts) < 4 || parts[0] != "MSG" || parts[2] == nick {
		return "", false
	}
	room, text := parts[1], strings.TrimSpace(parts[3])
	switch text {
	case "!ping":
		return "MSG " + room + " pong", true
	case "!time":
		return "MSG " + room + " " + now.UTC().Format(time.RFC1123), true
	}
	if reply, ok := replies[text]; ok {
		return "MSG " + room + " " + reply, true
	}
	return "", false
}

// loadReplies reads "trigger<TAB>reply" lines; triggers start with "!".
func loadReplies(path string) (map[string]string, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	replies := make(map[string]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		trigger, reply, ok := strings.Cut(sc.Text(), "\t")
		if ok && strings.HasPrefix(trigger, "!") {
			replies[trigger] = reply
		}
	}
	return replies, sc.Err()
}

// say connects, posts one message to room and leaves.
func say(addr, nick, room, text string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.Write([]byte("QUIT done\r\n")) // HAZ defer-blocking-call
	if err := login(conn, nick, []string{room}); err != nil {
		return err
	}
	return protocol.WriteLine(conn, "MSG "+room+" "+text)
}
