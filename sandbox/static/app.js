// Care desk sandbox page. Renders what the bot sent to (fake) Slack from its Block Kit, and
// the (fake) X timeline. Untrusted text never becomes HTML: the DOM is built with
// createElement/textContent only, and hrefs are limited to http(s) and mailto.
"use strict";

(() => {
  const POLL_MS = 700;
  const USER_KEY = "care-sandbox-user";
  const REQUIRED = "Please complete this required field.";
  const { el, mrkdwn, blocks, plain } = window.BlockKit;
  const $ = (id) => document.getElementById(id);
  let me = localStorage.getItem(USER_KEY) || "UAGENT1";
  let users = {};
  let botName = "Care Desk";
  const HOME = "@home";        // `current` when the app's Home tab is shown
  let shown = { slack: null, x: null, modal: null, sidebar: null, home: null };
  const closedViews = new Set();
  let careChannel = null;     // the care channel's id (cases, ephemerals, /care)
  let current = null;         // the channel shown, or HOME
  let modalInputs = null;     // {viewId, inputs} of the modal shown, to keep what was typed
  let homeAskedAt = 0;        // when the Home tab was last opened (app_home_opened sent)
  const HOME_WAIT_MS = 5000;  // how long "Opening the Home tab…" shows before saying none came
  let lastSlack = null;       // the latest Slack state, to re-render on a channel switch
  let jumpTo = null;          // a message ts to scroll to once its channel is shown
  const seen = {};            // channel id -> messages counted when it was last shown

  // ---- Slack pane ---------------------------------------------------------------------
  function time(tsOrIso) {
    const d = typeof tsOrIso === "string" && tsOrIso.includes("-") ? new Date(tsOrIso)
      : new Date(parseFloat(tsOrIso) * 1000);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function messageNode(m, cls, note) {
    const node = el("article", "msg " + (cls || ""));
    node.dataset.ts = m.ts;
    const isBot = !m.user || !users[m.user];
    const name = isBot ? botName : users[m.user].name;
    node.append(el("div", "avatar" + (isBot ? " bot" : ""), name.slice(0, 1)));
    const body = el("div", "msg-body");
    const meta = el("div", "meta");
    meta.append(el("strong", null, name));
    if (isBot) meta.append(el("span", "app-badge", "APP"));
    meta.append(el("span", "time", time(m.ts)));
    if (m.edited) meta.append(el("span", "edited", "(edited)"));
    if (note) meta.append(el("span", "only-you", note));
    body.append(meta);
    const ctx = { act: (a, ctl) => click(m.ts, a, ctl), inputs: [] };
    body.append(m.blocks && m.blocks.length ? blocks(m.blocks, ctx) : mrkdwn(m.text, el("div", "text")));
    if (m.files && m.files.length) body.append(filesNode(m.files));
    node.append(body);
    return node;
  }

  // Files shared through the upload flow: charts as images, other files as links.
  function filesNode(files) {
    const box = el("div", "files");
    for (const f of files) {
      const url = String(f.url || "");
      if (!url.startsWith("/files/")) continue;
      const link = el("a", "file");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener";
      if (f.image) {
        const img = el("img", "file-image");
        img.src = url;
        img.alt = f.title;
        img.loading = "lazy";
        link.append(img);
      } else {
        link.textContent = "📎 " + f.name;
      }
      box.append(link);
    }
    return box;
  }

  const messageCount = (c) => c.messages.reduce((n, m) => n + 1 + (m.replies || []).length, 0);

  function renderSidebar(slack) {
    const nav = $("channels");
    nav.replaceChildren(el("div", "sidebar-title", "Channels"));
    for (const c of slack.channels) {
      const b = el("button", "chan" + (c.id === current ? " active" : ""));
      b.type = "button";
      b.dataset.channelId = c.id;
      b.title = c.note;
      b.append(el("span", "hash", "#"), el("span", "chan-name", c.name));
      const unread = messageCount(c) - (seen[c.id] ?? messageCount(c));
      if (c.id !== current && unread > 0) b.append(el("span", "badge", String(unread)));
      if (c.id === current) b.setAttribute("aria-current", "true");
      b.addEventListener("click", () => showChannel(c.id));
      nav.append(b);
    }
    nav.append(el("div", "sidebar-title", "Apps"));
    const home = el("button", "chan app-home" + (current === HOME ? " active" : ""));
    home.type = "button";
    home.id = "home-tab";
    home.title = `${botName}: the app's Home tab`;
    home.append(el("span", "hash", "🏠"), el("span", "chan-name", botName));
    if (current === HOME) home.setAttribute("aria-current", "true");
    home.addEventListener("click", showHome);
    nav.append(home);
  }

  // Opening the Home tab: Slack sends the app app_home_opened each time; the app publishes
  // the user's view (views.publish), which the next state shows.
  function showHome() {
    if (!lastSlack) return;
    current = HOME;
    shown.slack = shown.sidebar = shown.home = null;
    homeAskedAt = Date.now();
    applySlack(lastSlack);
    api("/api/slack/home", { user: me }).then((res) => {
      if (!res.ok) flash(res.error || `The app answered HTTP ${res.status}`);
      refresh();
    });
  }

  function renderHome(slack) {
    const pane = $("home");
    const keep = pane.scrollTop;
    const home = slack.home;
    if (!home) {
      pane.replaceChildren(el("p", "empty", Date.now() - homeAskedAt < HOME_WAIT_MS
        ? "Opening the Home tab…" : "The app has not published a Home tab for you yet."));
      return;
    }
    const ctx = { inputs: [], act: (a, ctl) => viewAction(home.id, a, ctl, ctx),
      suggest: (q) => api("/api/slack/options", { user: me, view_id: home.id, ...q,
        values: inputValues(ctx) }) };
    pane.replaceChildren(blocks(home.view.blocks, ctx));
    pane.dataset.viewId = home.id;
    pane.scrollTop = keep;
  }

  function showChannel(id, ts) {
    if (!lastSlack || !lastSlack.channels.some((c) => c.id === id)) return false;
    current = id;
    jumpTo = ts || null;
    shown.slack = shown.sidebar = shown.home = null;
    applySlack(lastSlack);
    return true;
  }

  function renderChannel(slack, channelState) {
    const channel = $("channel");
    const atBottom = channel.scrollHeight - channel.scrollTop - channel.clientHeight < 40;
    const switched = channel.dataset.channelId !== channelState.id;
    const keep = channel.scrollTop;
    const ephemerals = channelState.id === careChannel ? slack.ephemerals : [];
    const items = channelState.messages.map((m) => ({ ts: m.ts, m, eph: false }))
      .concat(ephemerals.map((e) => ({ ts: e.ts, m: e, eph: true })))
      .sort((a, b) => parseFloat(a.ts) - parseFloat(b.ts));
    channel.replaceChildren();
    channel.dataset.channelId = channelState.id;
    if (!items.length) {
      channel.append(el("p", "empty", channelState.id === careChannel
        ? "No cases yet. Post as a customer on the right."
        : "Nothing here yet. Escalate a case from #" + slack.channel.name + " to see its summary."));
    }
    for (const { m, eph } of items) {
      if (eph) {
        const note = "Only visible to you" + (m.command ? ` · ${m.command}` : "");
        channel.append(messageNode(m, "ephemeral", note));
        continue;
      }
      const node = messageNode(m, "parent");
      if (m.replies && m.replies.length) {
        const thread = el("div", "thread");
        const n = m.replies.length;
        thread.append(el("div", "thread-head", `${n} ${n === 1 ? "reply" : "replies"}`));
        m.replies.forEach((r) => thread.append(messageNode(r, "reply")));
        node.querySelector(".msg-body").append(thread);
      }
      channel.append(node);
    }
    channel.scrollTop = atBottom || switched ? channel.scrollHeight : keep;
    if (jumpTo) {
      const target = [...channel.querySelectorAll("article.msg")].find((a) => a.dataset.ts === jumpTo);
      jumpTo = null;
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.classList.add("highlight");
        setTimeout(() => target.classList.remove("highlight"), 2500);
      }
    }
  }

  function applySlack(slack) {
    lastSlack = slack;
    careChannel = slack.channel.id;
    const onHome = current === HOME;
    $("channel").classList.toggle("hidden", onHome);
    $("home").classList.toggle("hidden", !onHome);
    $("slack-head").classList.toggle("home-head", onHome);
    if (onHome) {
      $("channel-name").textContent = botName;
      $("channel-note").textContent = "Home";
      $("care-form").classList.add("hidden");
      const homeKey = JSON.stringify(slack.home ? [slack.home.id, slack.home.hash]
        : Date.now() - homeAskedAt < HOME_WAIT_MS);
      if (homeKey !== shown.home) { renderHome(slack); shown.home = homeKey; }
      const sidebarKey = JSON.stringify([current, slack.channels.map((c) => [c.id, messageCount(c)])]);
      if (sidebarKey !== shown.sidebar) { renderSidebar(slack); shown.sidebar = sidebarKey; }
      return;
    }
    if (!current || !slack.channels.some((c) => c.id === current)) current = careChannel;
    const channelState = slack.channels.find((c) => c.id === current);
    seen[current] = messageCount(channelState);
    for (const c of slack.channels) if (!(c.id in seen)) seen[c.id] = messageCount(c);
    $("channel-name").textContent = channelState.name;
    $("channel-note").textContent = channelState.note || "";
    $("care-form").classList.toggle("hidden", current !== careChannel);
    const slackKey = JSON.stringify([current, channelState.messages,
      current === careChannel ? slack.ephemerals : []]);
    if (slackKey !== shown.slack) { renderChannel(slack, channelState); shown.slack = slackKey; }
    const sidebarKey = JSON.stringify([current, slack.channels.map((c) => [c.id, messageCount(c)])]);
    if (sidebarKey !== shown.sidebar) { renderSidebar(slack); shown.sidebar = sidebarKey; }
  }

  // A Slack link to a message in one of the sandbox's channels (a case's permalink) or a
  // #channel mention opens that channel here instead of leaving for slack.com.
  const ARCHIVES = /^https:\/\/(?:[a-z0-9-]+\.)?slack\.com\/archives\/([A-Z0-9]+)\/p(\d+)(\d{6})(?:[?#].*)?$/;

  function followLink(ev) {
    const a = ev.target.closest("a");
    if (!a || !$("slack-pane").contains(a)) return;
    if (a.dataset.channelId) {
      if (showChannel(a.dataset.channelId)) ev.preventDefault();
      return;
    }
    const m = ARCHIVES.exec(a.getAttribute("href") || "");
    if (m && showChannel(m[1], `${m[2]}.${m[3]}`)) ev.preventDefault();
  }

  function flash(text) {
    const f = el("div", "flash", text);
    f.setAttribute("role", "alert");
    $("slack-pane").append(f);
    setTimeout(() => f.remove(), 4000);
  }

  async function click(ts, action, control) {
    control.disabled = true;
    const res = await api("/api/slack/click", { user: me, ts, ...action });
    control.disabled = false;
    if (!res.ok) flash(res.error || `The app answered HTTP ${res.status}`);
    refresh();
  }

  // ---- modals and the Home tab: actions inside a view -------------------------------------
  // What the inputs of a view hold, as the page sends it ({block: {action: value}}).
  function inputValues(ctx) {
    const values = {};
    for (const f of ctx.inputs) (values[f.blockId] ||= {})[f.actionId] = f.value();
    return values;
  }

  async function viewAction(viewId, action, control, ctx) {
    control.disabled = true;
    const res = await api("/api/slack/view_action", { user: me, view_id: viewId,
      block_id: action.block_id, action_id: action.action_id,
      selected_option: action.selected_option || null, values: inputValues(ctx) });
    control.disabled = false;
    if (!res.ok) flash(res.error || `The app answered HTTP ${res.status}`);
    refresh();
  }

  // ---- modal --------------------------------------------------------------------------
  function closeModal(viewId, tell) {
    if (viewId) closedViews.add(viewId);
    $("modal-root").replaceChildren();
    shown.modal = null;
    modalInputs = null;
    if (tell && viewId) api("/api/slack/close", { user: me, view_id: viewId });
  }

  function renderModal(modal) {
    const view = modal.view;
    const ctx = { inputs: [], act: (a, ctl) => viewAction(modal.id, a, ctl, ctx),
      suggest: (q) => api("/api/slack/options", { user: me, view_id: modal.id, ...q,
        values: inputValues(ctx) }) };
    // After views.update Slack keeps what was typed in the inputs whose block and action
    // ids did not change; a new block id shows the view's initial value.
    const typed = modalInputs && modalInputs.viewId === modal.id
      ? new Map(modalInputs.inputs.map((f) => [`${f.blockId}\n${f.actionId}`, f.value()])) : null;
    const backdrop = el("div", "modal-backdrop");
    const box = el("div", "modal");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-labelledby", "modal-title");
    box.dataset.viewId = modal.id;
    const head = el("div", "modal-head");
    const title = el("h2", null, plain(view.title));
    title.id = "modal-title";
    const x = el("button", "modal-x", "×");
    x.type = "button";
    x.setAttribute("aria-label", "Close");
    head.append(title, x);
    const foot = el("div", "modal-foot");
    const error = el("div", "modal-error");
    const cancel = el("button", "sk-btn", plain(view.close) || "Cancel");
    cancel.type = "button";
    foot.append(error, cancel);
    let submit = null;
    if (view.submit) {
      submit = el("button", "sk-btn primary", plain(view.submit));
      submit.type = "button";
      submit.dataset.role = "submit";
      foot.append(submit);
    }
    box.append(head, el("div", "modal-body"), foot);
    box.querySelector(".modal-body").append(blocks(view.blocks, ctx));
    for (const f of typed ? ctx.inputs : []) {
      const key = `${f.blockId}\n${f.actionId}`;
      if (typed.has(key) && f.set) f.set(typed.get(key));
    }
    modalInputs = { viewId: modal.id, inputs: ctx.inputs };
    backdrop.append(box);
    $("modal-root").replaceChildren(backdrop);
    for (const b of [x, cancel]) b.addEventListener("click", () => closeModal(modal.id, true));
    const showErrors = (errors) => {
      box.querySelectorAll(".input-error").forEach((e) => { e.textContent = ""; });
      error.textContent = "";
      let first = null;
      for (const [blockId, msg] of Object.entries(errors)) {
        const slot = [...box.querySelectorAll(".input-error")].find((e) => e.dataset.blockId === blockId);
        if (slot) slot.textContent = msg; else error.textContent = msg;
        first ||= ctx.inputs.find((f) => f.blockId === blockId);
      }
      if (first) first.focus.focus();
    };
    if (submit) submit.addEventListener("click", async () => {
      const values = inputValues(ctx);
      const missing = {};
      for (const f of ctx.inputs) {
        const value = values[f.blockId][f.actionId];
        const empty = typeof value === "string" ? value === "" : !value.selected_option;
        if (empty && !f.optional) missing[f.blockId] = REQUIRED;
      }
      if (Object.keys(missing).length) { showErrors(missing); return; }  // as Slack's client does
      submit.disabled = true;
      const res = await api("/api/slack/submit", { user: me, view_id: modal.id, values });
      submit.disabled = false;
      if (res.closed) { closeModal(modal.id, false); refresh(); return; }
      showErrors(res.errors || {});
      if (!res.errors || !Object.keys(res.errors).length) error.textContent = res.error || "Not sent.";
    });
    const first = ctx.inputs.find((f) => f.focus.dataset.type !== "external_select");
    (first ? first.focus : cancel).focus();
    shown.modal = `${modal.id}:${modal.hash}`;
  }

  // ---- X pane -------------------------------------------------------------------------
  function postNode(p, brand) {
    const node = el("article", `xpost d${p.depth}` + (p.is_brand ? " brand" : "")
      + (p.hidden ? " hidden-reply" : ""));
    node.dataset.postId = p.id;
    const head = el("div", "xmeta");
    head.append(el("strong", null, p.name), el("span", "handle", "@" + p.username));
    if (p.is_brand) head.append(el("span", "brand-badge", "brand"));
    if (p.hidden) {
      const badge = el("span", "hidden-badge", `Hidden by @${brand.username}`);
      badge.title = "The brand hid this reply: X shows it only behind “View hidden replies”.";
      head.append(badge);
    }
    head.append(el("span", "time", time(p.created_at)));
    node.append(head, el("div", "xtext", p.text));
    if (p.is_brand) {
      // A customer answers the brand's post or reply: a follow-up in the same conversation.
      const answer = el("button", "x-reply-btn", "Reply");
      answer.type = "button";
      answer.title = p.reply_to_username ? `Reply as @${p.reply_to_username}` : "Reply as a customer";
      answer.addEventListener("click", () => replyTo(p));
      node.append(answer);
    }
    return node;
  }

  function replyTo(p) {
    const kind = $("x-kind");
    kind.value = "reply";
    kind.dispatchEvent(new Event("change"));
    $("x-reply-to").value = p.id;
    if (p.reply_to_username) $("x-username").value = p.reply_to_username;
    $("x-text").focus();
  }

  function brandPostLabel(p) {
    const text = p.text.length > 60 ? p.text.slice(0, 59) + "…" : p.text;
    return p.reply_to_username ? `↩ to @${p.reply_to_username}: ${text}` : text;
  }

  function renderX(x) {
    const select = $("x-reply-to");
    const keep = select.value;
    select.replaceChildren(...x.brand_posts.map((p) => {
      const o = el("option", null, brandPostLabel(p));
      o.value = p.id;
      return o;
    }));
    if (keep && x.brand_posts.some((p) => p.id === keep)) select.value = keep;
    const tl = $("x-timeline");
    tl.replaceChildren();
    for (const t of x.threads) {
      const thread = el("div", "xthread");
      thread.dataset.rootId = t.id;
      t.posts.forEach((p) => thread.append(postNode(p, x.brand)));
      tl.append(thread);
    }
    const dms = $("x-dms");
    dms.replaceChildren();
    dms.classList.toggle("hidden", !x.dms.length);
    if (x.dms.length) {
      dms.append(el("h3", "x-section", "Direct messages"));
      for (const c of x.dms) {
        const convo = el("div", "dm");
        convo.dataset.username = c.username;
        const head = el("div", "xmeta");
        head.append(el("span", "dm-badge", "DM"), el("strong", null, c.name),
          el("span", "handle", `@${c.username} ↔ @${x.brand.username}`));
        convo.append(head);
        for (const m of c.messages) {
          const bubble = el("div", "bubble" + (m.from_brand ? " mine" : ""));
          bubble.dataset.dmId = m.id;
          const label = el("div", "bubble-meta", `DM from @${m.from_brand ? x.brand.username : c.username}`);
          label.append(el("span", "time", time(m.created_at)));
          bubble.append(label, el("div", "xtext", m.text));
          convo.append(bubble);
        }
        dms.append(convo);
      }
      tl.prepend(el("h3", "x-section", "Posts"));
    }
  }

  // ---- wiring -------------------------------------------------------------------------
  async function api(path, body) {
    try {
      const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body) });
      const data = await r.json().catch(() => ({}));
      return r.ok ? data : { ok: false, error: data.error || `HTTP ${r.status}` };
    } catch (err) {
      return { ok: false, error: "The sandbox is not answering. Is it still running?" };
    }
  }

  function apply(state) {
    if (state.me !== me) return;
    users = state.slack.users;
    window.BlockKit.setUsers(users);
    botName = state.slack.bot.name;
    const who = $("whoami");
    if (!who.options.length) {
      for (const [id, u] of Object.entries(users)) {
        const o = el("option", null, u.name);
        o.value = id;
        who.append(o);
      }
      who.value = me;
    }
    window.BlockKit.setChannels(Object.fromEntries(state.slack.channels.map((c) => [c.id, c.name])));
    applySlack(state.slack);
    const modal = state.slack.modal;
    if (modal && !closedViews.has(modal.id)) {
      if (shown.modal !== `${modal.id}:${modal.hash}`) renderModal(modal);
    } else if (shown.modal) {
      closeModal(null, false);
    }
    const xKey = JSON.stringify(state.x);
    if (xKey !== shown.x) { renderX(state.x); shown.x = xKey; }
    document.body.classList.remove("offline");
  }

  let inFlight = false;
  let again = false;
  async function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    try {
      const r = await fetch(`/api/state?user=${encodeURIComponent(me)}`, { cache: "no-store" });
      if (r.ok) apply(await r.json());
      else if (r.status === 400 && me !== "UAGENT1") {  // a remembered user that is gone
        me = "UAGENT1";
        localStorage.removeItem(USER_KEY);
        again = true;
      }
    } catch (err) {
      document.body.classList.add("offline");
    } finally {
      inFlight = false;
      if (again) { again = false; refresh(); }
    }
  }

  function start() {
    $("whoami").addEventListener("change", (ev) => {
      me = ev.target.value;
      localStorage.setItem(USER_KEY, me);
      shown = { slack: null, x: null, modal: null, sidebar: null, home: null };
      $("modal-root").replaceChildren();
      modalInputs = null;
      if (current === HOME) showHome(); else refresh();
    });
    $("care-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const input = $("care-input");
      const res = await api("/api/slack/command", { user: me, text: input.value });
      if (res.ok) input.value = ""; else flash(res.error);
      refresh();
    });
    const kind = $("x-kind");
    kind.addEventListener("change", () => {
      $("x-reply-row").classList.toggle("hidden", kind.value !== "reply");
      $("x-submit").textContent = kind.value === "dm" ? "Send DM" : "Post";
      $("x-text").placeholder = kind.value === "dm" ? "Hi, my booking AC123 shows the wrong name…"
        : "@acme my flight was cancelled, what now?";
    });
    $("slack-pane").addEventListener("click", followLink);
    $("x-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = $("x-text");
      $("x-error").textContent = "";
      const res = await api("/api/x/post", { username: $("x-username").value, text: text.value,
        kind: kind.value, reply_to: kind.value === "reply" ? $("x-reply-to").value : null });
      if (res.ok) text.value = ""; else $("x-error").textContent = res.error;
      refresh();
    });
    document.addEventListener("keydown", (ev) => {
      const box = document.querySelector(".modal");
      if (ev.key === "Escape" && box) closeModal(box.dataset.viewId, true);
    });
    refresh();
    setInterval(refresh, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
