// Block Kit and mrkdwn, rendered the way Slack shows them, for the care desk sandbox page.
// Untrusted text never becomes HTML: nodes are built with createElement/textContent only,
// entities (&lt; &gt; &amp;) are decoded into plain text, and links must be http(s)/mailto.
// Usage: BlockKit.setUsers({U1: {name: "Alex"}}); BlockKit.setChannels({C1: "care"});
//        node.append(BlockKit.blocks(message.blocks, {act: (action, control) => ..., inputs: []}));
//        In a modal or the Home tab, ctx.suggest({block_id, action_id, value}) resolves to the
//        app's {ok, options | option_groups} for an external select.
"use strict";

window.BlockKit = (() => {
  const EMOJI = {
    bulb: "💡", telephone_receiver: "📞",
    large_blue_circle: "🔵", large_yellow_circle: "🟡", hourglass_flowing_sand: "⏳",
    outbox_tray: "📤", x: "❌", speech_balloon: "💬", white_check_mark: "✅",
    no_entry_sign: "🚫", no_entry: "⛔", raising_hand: "🙋", leftwards_arrow_with_hook: "↩️",
    memo: "📝", pencil2: "✏️", rocket: "🚀", rotating_light: "🚨", warning: "⚠️",
    lock: "🔒", unlock: "🔓", repeat: "🔁", globe_with_meridians: "🌐", wave: "👋",
    bell: "🔔", alarm_clock: "⏰", fire: "🔥", eyes: "👀", tada: "🎉", airplane: "✈️",
    stopwatch: "⏱️", hourglass: "⌛", envelope: "✉️", envelope_with_arrow: "📩",
    busts_in_silhouette: "👥", red_circle: "🔴", sunrise: "🌅", bust_in_silhouette: "👤",
    heavy_check_mark: "✔️", information_source: "ℹ️", calendar: "📆", clock1: "🕐",
    mag: "🔍", link: "🔗", label: "🏷️", speaking_head_in_silhouette: "🗣️", pushpin: "📌",
    thumbsup: "👍", "+1": "👍", pray: "🙏", point_right: "👉", arrow_right: "➡️",
    heart: "❤️", sparkles: "✨",
    twisted_rightwards_arrows: "🔀",
    small_red_triangle: "🔺", see_no_evil: "🙈", mute: "🔇", loud_sound: "🔊",
    inbox_tray: "📥", zzz: "💤", wastebasket: "🗑️", speaker: "🔈",
  };

  let users = {};
  let channels = {};

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // ---- mrkdwn -------------------------------------------------------------------------
  const decode = (s) => s.replace(/&(amp|lt|gt);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">" })[e]);
  const emojify = (s) => s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
  const PH_BASE = 0xe000;
  const PH = /[\ue000-\uf8ff]/;
  const FMT = /`([^`\n]+)`|(?<![A-Za-z0-9*_~])([*_~])(?=\S)([^\n]*?\S)\2(?![A-Za-z0-9*_~])/;

  function safeHref(url) {
    return /^(https?:\/\/|mailto:)/i.test(url) ? url : null;
  }

  function angleNode(inner) {
    const bar = inner.indexOf("|");
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? "" : decode(inner.slice(bar + 1));
    if (target.startsWith("@")) {
      const id = target.slice(1);
      const name = (users[id] && users[id].name) || label || id;
      return el("span", "mention", "@" + name);
    }
    if (target.startsWith("#")) {
      const id = target.slice(1);
      if (!channels[id]) return el("span", "mention", "#" + (label || id));
      const link = el("a", "mention channel-link", "#" + channels[id]);
      link.href = "#" + id;
      link.dataset.channelId = id;
      return link;
    }
    if (target.startsWith("!date^")) return el("span", "date", label || target);
    if (target.startsWith("!subteam^")) return el("span", "mention", label || "@group");
    if (target.startsWith("!")) {
      return el("span", "mention broadcast", "@" + (label || target.slice(1)));
    }
    const href = safeHref(decode(target));
    if (!href) return el("span", null, label || decode(target));
    const link = el("a", null, label || href);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  function textInto(s, parent, tokens) {
    let buf = "";
    const flush = () => { if (buf) parent.append(document.createTextNode(emojify(decode(buf)))); buf = ""; };
    for (const ch of s) {
      if (PH.test(ch)) { flush(); parent.append(angleNode(tokens[ch.charCodeAt(0) - PH_BASE])); } else buf += ch;
    }
    flush();
  }

  function formatInto(s, parent, tokens) {
    while (s) {
      const m = FMT.exec(s);
      if (!m) { textInto(s, parent, tokens); return; }
      if (m.index > 0) textInto(s.slice(0, m.index), parent, tokens);
      if (m[1] !== undefined) {
        const code = el("code");
        textInto(m[1], code, tokens);
        parent.append(code);
      } else {
        const node = el({ "*": "strong", _: "em", "~": "s" }[m[2]]);
        formatInto(m[3], node, tokens);
        parent.append(node);
      }
      s = s.slice(m.index + m[0].length);
    }
  }

  function inline(line, parent) {
    const tokens = [];
    const s = line.replace(/[\ue000-\uf8ff]/g, "\ufffd").replace(/<([^<>\n]*)>/g, (_, inner) => {
      tokens.push(inner);
      return String.fromCharCode(PH_BASE + tokens.length - 1);
    });
    formatInto(s, parent, tokens);
  }

  function mrkdwn(text, container) {
    String(text || "").split("```").forEach((part, i) => {
      if (i % 2 === 1) { container.append(el("pre", null, decode(part.replace(/^\n/, "")))); return; }
      let group = null;
      let groupIsQuote = false;
      part.split("\n").forEach((line, n, lines) => {
        if (n === lines.length - 1 && line === "" && n > 0) return;
        const quoted = /^(&gt;|>)/.test(line);
        if (!group || quoted !== groupIsQuote) {
          group = quoted ? el("blockquote") : el("div", "para");
          groupIsQuote = quoted;
          container.append(group);
        } else {
          group.append(el("br"));
        }
        inline(quoted ? line.replace(/^(&gt;|>) ?/, "") : line, group);
      });
    });
    return container;
  }

  function textObject(obj, cls) {
    const node = el("div", cls);
    if (!obj) return node;
    if (obj.type === "mrkdwn") return mrkdwn(obj.text, node);
    node.textContent = obj.emoji === false ? obj.text : emojify(obj.text || "");
    return node;
  }

  const plain = (obj) => (obj && obj.text ? emojify(obj.text) : "");

  // ---- Block Kit ----------------------------------------------------------------------
  function unsupported(kind, type) {
    return el("div", "unsupported", `[unsupported ${kind}: ${type || "?"}]`);
  }

  function element(e, ctx, blockId) {
    if (e.type === "button") {
      const b = el("button", "sk-btn" + (e.style ? " " + e.style : ""), plain(e.text));
      b.type = "button";
      b.dataset.actionId = e.action_id || "";
      b.addEventListener("click", () => ctx.act({ type: "button", action_id: e.action_id,
        block_id: blockId, value: e.value || "", selected: false }, b));
      return b;
    }
    if (e.type === "external_select") {
      if (!ctx.suggest) return unsupported("element", e.type);
      const combo = externalSelect(e, ctx, blockId, `ext-${++inputSeq}`, true);
      return combo.node;
    }
    if (e.type === "static_select" || e.type === "overflow") {
      // An overflow menu is a "⋯" button with options; a select shows the same choices.
      const sel = el("select", "sk-select" + (e.type === "overflow" ? " sk-overflow" : ""));
      sel.dataset.actionId = e.action_id || "";
      sel.title = e.type === "overflow" ? "More actions" : "";
      const ph = el("option", null, e.type === "overflow" ? "⋯"
        : (plain(e.placeholder) || "Choose…"));
      ph.value = ""; ph.disabled = true; ph.selected = true;
      sel.append(ph);
      const options = e.options || (e.option_groups || []).flatMap((g) => g.options || []);
      for (const o of options) {
        const opt = el("option", null, plain(o.text));
        opt.value = o.value;
        sel.append(opt);
      }
      sel.addEventListener("change", () => ctx.act({ type: e.type, action_id: e.action_id,
        block_id: blockId, value: sel.value, selected: true,
        selected_option: optionOf(options.find((o) => o.value === sel.value)) }, sel));
      return sel;
    }
    if (e.type === "mrkdwn" || e.type === "plain_text") return textObject(e, "ctx-text");
    if (e.type === "image") return el("span", "img-alt", `[image: ${e.alt_text || ""}]`);
    return unsupported("element", e.type);
  }

  // Inputs in modals. Each pushes {blockId, actionId, optional, node, focus, value()} onto
  // ctx.inputs:
  // value() is the typed text of a plain-text input, or for a radio group / select the
  // state Slack sends ({type, selected_option: {text, value} or null}).
  let inputSeq = 0;

  function optionOf(o) {
    return o ? { text: o.text, value: o.value } : null;
  }

  const sameOption = (a, b) => Boolean(a && b && a.value === b.value);

  function textInput(e, id) {
    const field = el(e.multiline ? "textarea" : "input", "sk-input");
    field.id = id;
    if (e.multiline) field.rows = 5;
    if (e.max_length) field.maxLength = e.max_length;
    if (e.placeholder) field.placeholder = plain(e.placeholder);
    field.value = e.initial_value || "";
    return { node: field, focus: field, value: () => field.value,
      set: (v) => { if (typeof v === "string") field.value = v; } };
  }

  function radioInput(e, id, label) {
    const group = el("div", "sk-radios");
    group.id = id;
    group.setAttribute("role", "radiogroup");
    label.id = id + "-label";
    group.setAttribute("aria-labelledby", label.id);
    const options = e.options || [];
    const radios = options.map((o, n) => {
      const row = el("label", "sk-radio");
      const radio = el("input");
      radio.type = "radio";
      radio.name = id;
      radio.value = o.value;
      radio.id = `${id}-${n}`;
      radio.checked = sameOption(o, e.initial_option);
      const words = el("span", "sk-radio-text");
      words.append(textObject(o.text, "sk-radio-label"));
      if (o.description) words.append(textObject(o.description, "sk-radio-desc"));
      row.append(radio, words);
      group.append(row);
      return radio;
    });
    const value = () => {
      const n = radios.findIndex((r) => r.checked);
      return { type: "radio_buttons", selected_option: n === -1 ? null : optionOf(options[n]) };
    };
    const set = (v) => {
      const chosen = v && v.selected_option;
      radios.forEach((r) => { r.checked = Boolean(chosen) && r.value === chosen.value; });
    };
    return { node: group, focus: radios.find((r) => r.checked) || radios[0], value, set };
  }

  function selectInput(e, id) {
    const sel = el("select", "sk-select sk-input-select");
    sel.id = id;
    const ph = el("option", null, plain(e.placeholder) || "Choose…");
    ph.value = "";
    ph.disabled = true;
    sel.append(ph);
    const options = e.options || (e.option_groups || []).flatMap((g) => g.options || []);
    const add = (parent, o, n) => {
      const opt = el("option", null, plain(o.text));
      opt.value = String(n);
      opt.selected = sameOption(o, e.initial_option);
      parent.append(opt);
    };
    if (e.options) {
      options.forEach((o, n) => add(sel, o, n));
    } else {
      let n = 0;
      for (const g of e.option_groups || []) {
        const group = el("optgroup");
        group.label = plain(g.label);
        for (const o of g.options || []) add(group, o, n++);
        sel.append(group);
      }
    }
    if (!options.some((o) => sameOption(o, e.initial_option))) ph.selected = true;
    const value = () => ({ type: "static_select",
      selected_option: sel.value === "" ? null : optionOf(options[Number(sel.value)]) });
    const set = (v) => {
      const n = options.findIndex((o) => sameOption(o, v && v.selected_option));
      sel.value = n === -1 ? "" : String(n);
    };
    return { node: sel, focus: sel, value, set };
  }

  // An external select: a type-ahead whose options the app sends (Slack asks it through
  // ctx.suggest once at least min_query_length characters are typed, 3 unless it says).
  // Choosing an option dispatches a block_actions (ctx.act) when `dispatch` is set: always
  // in an actions block, with dispatch_action in an input block.
  const SUGGEST_DELAY_MS = 200;

  function externalSelect(e, ctx, blockId, id, dispatch) {
    const box = el("div", "sk-combo");
    const field = el("input", "sk-input sk-combo-input");
    field.type = "text";
    field.id = id;
    field.autocomplete = "off";
    field.placeholder = plain(e.placeholder) || "Type to search…";
    field.dataset.type = "external_select";
    field.setAttribute("role", "combobox");
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-expanded", "false");
    const list = el("ul", "sk-combo-list hidden");
    list.id = id + "-options";
    list.setAttribute("role", "listbox");
    field.setAttribute("aria-controls", list.id);
    box.append(field, list);
    const least = Number.isInteger(e.min_query_length) ? e.min_query_length : 3;
    let selected = optionOf(e.initial_option);
    let items = [];
    let active = -1;
    let seq = 0;
    let timer = null;
    const shownText = () => (selected ? plain(selected.text) : "");
    field.value = shownText();

    // The menu floats over the modal (whose body scrolls), below the field or above it.
    const place = () => {
      const r = field.getBoundingClientRect();
      const below = window.innerHeight - r.bottom;
      Object.assign(list.style, { left: `${r.left}px`, width: `${r.width}px`,
        top: below >= 160 || below >= r.top ? `${r.bottom + 2}px` : "auto",
        bottom: below >= 160 || below >= r.top ? "auto" : `${window.innerHeight - r.top + 2}px`,
        maxHeight: `${Math.max(120, Math.min(260, Math.max(below, r.top) - 12))}px` });
    };
    // An ancestor of the field scrolled (the field moved): close, as Slack's menu does.
    const onScroll = (ev) => {
      if (ev.target !== list && ev.target.contains && ev.target.contains(field)) open(false);
    };
    const open = (yes) => {
      if (yes) place();
      document[yes ? "addEventListener" : "removeEventListener"]("scroll", onScroll, true);
      list.classList.toggle("hidden", !yes);
      field.setAttribute("aria-expanded", String(yes));
    };
    const note = (text) => {
      items = [];
      active = -1;
      list.replaceChildren(el("li", "sk-combo-note", text));
      open(true);
    };
    const highlight = (n) => {
      active = n;
      items.forEach((it, i) => it.node.setAttribute("aria-selected", String(i === n)));
      if (items[n]) {
        items[n].node.scrollIntoView({ block: "nearest" });
        field.setAttribute("aria-activedescendant", items[n].node.id);
      }
    };
    function choose(option) {
      selected = optionOf(option);
      field.value = shownText();
      open(false);
      if (dispatch) ctx.act({ type: "external_select", action_id: e.action_id, block_id: blockId,
        value: selected.value, selected: true, selected_option: selected }, field);
    }
    function show(answer) {
      items = [];
      list.replaceChildren();
      const add = (parent, o) => {
        const item = el("li", "sk-combo-option", plain(o.text));
        item.id = `${id}-o${items.length}`;
        item.setAttribute("role", "option");
        item.dataset.value = o.value;
        item.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(o); });
        items.push({ node: item, option: o });
        parent.append(item);
      };
      if (answer.option_groups) {
        for (const g of answer.option_groups) {
          const group = el("li", "sk-combo-group");
          group.setAttribute("role", "group");
          group.setAttribute("aria-label", plain(g.label));
          const inner = el("ul");
          inner.setAttribute("role", "presentation");
          group.append(el("div", "sk-combo-label", plain(g.label)), inner);
          (g.options || []).forEach((o) => add(inner, o));
          list.append(group);
        }
      } else {
        (answer.options || []).forEach((o) => add(list, o));
      }
      if (!items.length) { note("No results"); return; }
      highlight(0);
      open(true);
    }
    async function ask(query) {
      const mine = ++seq;
      if (query.length < least) {
        note(`Type at least ${least} character${least === 1 ? "" : "s"}`);
        return;
      }
      note("Loading…");
      const answer = await ctx.suggest({ block_id: blockId, action_id: e.action_id, value: query });
      if (mine !== seq || document.activeElement !== field) return;  // a newer query, or gone
      if (!answer.ok) { note(answer.error || "The options could not be loaded."); return; }
      show(answer);
    }
    const later = (query) => { clearTimeout(timer); timer = setTimeout(() => ask(query), SUGGEST_DELAY_MS); };
    field.addEventListener("focus", () => { field.select(); ask(""); });
    field.addEventListener("input", () => later(field.value));
    field.addEventListener("blur", () => {
      clearTimeout(timer);
      seq++;
      open(false);
      field.value = shownText();
    });
    field.addEventListener("keydown", (ev) => {
      const listOpen = !list.classList.contains("hidden");
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (!listOpen) { ask(field.value === shownText() ? "" : field.value); return; }
        if (items.length) highlight((active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (listOpen && items[active]) choose(items[active].option);
      } else if (ev.key === "Escape" && listOpen) {
        ev.stopPropagation();  // closes the menu, not the modal
        open(false);
        field.value = shownText();
      }
    });
    const value = () => ({ type: "external_select", selected_option: selected });
    const set = (v) => {
      selected = v && v.selected_option ? optionOf(v.selected_option) : null;
      field.value = shownText();
    };
    return { node: box, focus: field, value, set };
  }

  function inputBlock(b, ctx) {
    const wrap = el("div", "block input");
    const e = b.element || {};
    const label = el("label", "input-label", plain(b.label));
    if (b.optional) label.append(el("span", "optional", " (optional)"));
    wrap.append(label);
    const id = `in-${++inputSeq}`;
    const make = { plain_text_input: () => textInput(e, id),
      radio_buttons: () => radioInput(e, id, label), static_select: () => selectInput(e, id),
      external_select: () => (ctx.suggest
        ? externalSelect(e, ctx, b.block_id || "", id, Boolean(b.dispatch_action)) : null),
    }[e.type];
    const input = make && make();
    if (!input) { wrap.append(unsupported("input", e.type)); return wrap; }
    if (e.type !== "radio_buttons") label.htmlFor = id;
    input.node.dataset.blockId = b.block_id || "";
    input.node.dataset.actionId = e.action_id || "";
    input.node.dataset.type = e.type;
    ctx.inputs.push({ blockId: b.block_id || "", actionId: e.action_id || "",
      optional: Boolean(b.optional), ...input });
    wrap.append(input.node);
    const err = el("div", "input-error");
    err.dataset.blockId = b.block_id || "";
    err.setAttribute("role", "alert");
    wrap.append(err);
    if (b.hint) wrap.append(el("div", "hint", plain(b.hint)));
    return wrap;
  }

  function blocks(list, ctx) {
    const out = el("div", "blocks");
    for (const b of list || []) {
      let node;
      switch (b.type) {
        case "section": {
          node = el("div", "block section");
          const main = el("div", "section-main");
          if (b.text) main.append(textObject(b.text, "section-text"));
          if (b.fields) {
            const grid = el("div", "fields");
            b.fields.forEach((f) => grid.append(textObject(f, "field")));
            main.append(grid);
          }
          node.append(main);
          if (b.accessory) node.append(element(b.accessory, ctx, b.block_id || ""));
          break;
        }
        case "context":
          node = el("div", "block context");
          (b.elements || []).forEach((e) => node.append(element(e, ctx, b.block_id || "")));
          break;
        case "actions":
          node = el("div", "block actions");
          (b.elements || []).forEach((e) => node.append(element(e, ctx, b.block_id || "")));
          break;
        case "divider": node = el("hr", "block divider"); break;
        case "header": node = el("h3", "block header", plain(b.text)); break;
        case "input": node = inputBlock(b, ctx); break;
        default: node = unsupported("block", b.type);
      }
      if (b.block_id) node.dataset.blockId = b.block_id;
      out.append(node);
    }
    return out;
  }

  return {
    el, mrkdwn, blocks, plain, emojify,
    setUsers: (map) => { users = map || {}; },
    setChannels: (map) => { channels = map || {}; },
  };
})();
