package site

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/roomclient"
)

// TestRoomJoinAndHand: the home page's Join box and the exercise page's
// Raise hand reach a room through the same calls as `workbook join` and
// `workbook help-me`.
func TestRoomJoinAndHand(t *testing.T) {
	ts := newTestServer(t, nil)
	var list []room.Exercise
	for _, ex := range ts.cat.List {
		list = append(list, room.Exercise{Name: ex.Name, Title: ex.Title, Topic: ex.Topic})
	}
	rm, err := room.New(room.Config{Code: "KXTM-4QRA", Token: testToken, Exercises: list})
	if err != nil {
		t.Fatal(err)
	}
	defer rm.Close()
	join := httptest.NewServer(rm.Join())
	defer join.Close()
	c := roomclient.ForWorkspace(ts.ws)
	defer c.Close(0)
	ts.ws.Reporter = c
	ts.site.cfg.Room = c

	body := func(resp *http.Response) string {
		data, _ := io.ReadAll(resp.Body)
		return string(data)
	}
	if resp := ts.request(t, "POST", "/api/room/hand", `{"exercise":"races-config-flag"}`, nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("a hand before joining: %d %s", resp.StatusCode, body(resp))
	}
	if resp := ts.request(t, "POST", "/api/room/join", `{"url":"`+join.URL+`","code":"WRONG-CODE","name":"Ana"}`, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a wrong code: %d %s", resp.StatusCode, body(resp))
	}
	if resp := ts.request(t, "POST", "/api/room/join", `{"url":"`+join.URL+`","code":"kxtm-4qra","name":"Ana"}`, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("join: %d %s", resp.StatusCode, body(resp))
	}
	if home := body(ts.request(t, "GET", "/", "", nil)); !strings.Contains(home, "Joined "+join.URL+" as Ana.") {
		t.Errorf("the home page does not say the workspace joined")
	}
	page := body(ts.request(t, "GET", "/exercise/races-config-flag", "", nil))
	if !strings.Contains(page, `id="raise-hand"`) || strings.Contains(page, `id="raise-hand" type="button" title="Send the lead your code and the last check, in the workshop room" hidden`) {
		t.Errorf("the exercise page has no visible Raise hand button")
	}
	resp := ts.request(t, "POST", "/api/room/hand", `{"exercise":"races-config-flag"}`, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("hand: %d %s", resp.StatusCode, body(resp))
	}
	snap := rm.Snapshot()
	if len(snap.Learners) != 1 || snap.Learners[0].Name != "Ana" || len(snap.Hands) != 1 || snap.Hands[0].Exercise != "races-config-flag" {
		data, _ := json.Marshal(snap)
		t.Errorf("the room: %s", data)
	}
	// Without the token, neither.
	if resp := ts.request(t, "POST", "/api/room/join", `{}`, noToken); resp.StatusCode != http.StatusForbidden {
		t.Errorf("join without the token: %d", resp.StatusCode)
	}
}
