// pingjia dashboard: reads the data pingjia embedded in the page (#data) and draws it with
// the bundled ECharts. Nothing is fetched. The view lives in the URL hash
// (#q=2025Q4&i=on_time_rate&a=370303&u=…), so a link opens the same view.
'use strict';
(function () {
  const D = JSON.parse(document.getElementById('data').textContent);
  const FONT = '"PingjiaWQY", sans-serif';
  const BLUE = '#08519c', LIGHT = '#9ecae1', ACCENT = '#b35806', GREY = '#bdbdbd';

  // ---- numbers the way the reports write them (src/format.rs, the same rules) ----
  const away = (x) => Math.sign(x) * Math.round(Math.abs(x)); // half away from zero
  const round2 = (x) => away(away(x * 100 * 1e6) / 1e6) / 100;
  function percent(v) {
    const p = v * 100;
    if (Math.abs(p - away(p)) < 1e-9) return away(p) + '%';
    let shown = round2(p);
    if (Number.isInteger(shown)) shown = p < shown ? shown - 0.01 : shown + 0.01;
    return shown.toFixed(2) + '%';
  }
  function thousands(n) {
    const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return n < 0 ? '-' + s : s;
  }
  function value(v, unit) {
    if (v === null || v === undefined) return '—';
    if (unit === '%') return percent(v);
    if (unit === '件' || unit === '条') return thousands(away(v)) + unit;
    const r = round2(v);
    return (Number.isInteger(r) ? String(r) : r.toFixed(2)) + unit;
  }
  function change(c, rate) {
    if (c === null || c === undefined) return '—';
    const r = round2(c);
    if (r === 0) return '持平';
    const word = r > 0 ? '提高' : '下降';
    return word + Math.abs(r).toFixed(2) + (rate ? '个百分点' : '%');
  }
  const count = (n) => thousands(away(n));
  // Tooltips are HTML: names from the data go in escaped.
  const esc = (t) => String(t).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // ---- indexes ----
  const Q = D.quarters, IND = D.indicators, AREAS = D.areas, UNITS = D.units;
  const KINDS = ['department', 'township', 'matter'];
  const qIndex = new Map(Q.map((q, k) => [q, k]));
  const indIndex = new Map(IND.map((x, k) => [x.id, k]));
  const areaIndex = new Map(AREAS.map((x, k) => [x.code, k]));
  const unitIndex = new Map();
  UNITS.key.forEach((key, k) => { if (key !== null) unitIndex.set(key, k); });
  const children = AREAS.map(() => []);
  AREAS.forEach((x, k) => { if (x.parent !== null) children[x.parent].push(k); });
  const R = D.rows;
  const rowAt = new Map(); // "q|i|a" → row
  for (let g = 0, r = 0; g < R.q.length; g++) {
    for (let k = 0; k < R.len[g]; k++, r++) rowAt.set(R.q[g] + '|' + R.i[r] + '|' + R.a[g], r);
  }
  const row = (q, i, a) => rowAt.get(q + '|' + i + '|' + a);
  // A row's value: its numerator over its denominator, unless pingjia gave another.
  const val = (r) => (r in R.vx ? R.vx[r] : R.d[r] !== 0 ? R.n[r] / R.d[r] : null);
  const U = D.unit_rows;
  const unitGroupsOf = new Map(); // "q|district" → [group]
  U.start = [0];
  for (let g = 0; g < U.q.length; g++) U.start.push(U.start[g] + U.len[g]);
  for (let g = 0; g < U.q.length; g++) {
    const key = U.q[g] + '|' + UNITS.area[U.u[g]];
    if (!unitGroupsOf.has(key)) unitGroupsOf.set(key, []);
    unitGroupsOf.get(key).push(g);
  }

  // ---- the view, in the hash ----
  const state = { q: qIndex.get(D.quarter), i: 0, a: D.open !== null ? D.open : D.top, u: null };
  function readHash() {
    const h = new URLSearchParams(location.hash.slice(1));
    if (qIndex.has(h.get('q'))) state.q = qIndex.get(h.get('q'));
    if (indIndex.has(h.get('i'))) state.i = indIndex.get(h.get('i'));
    if (areaIndex.has(h.get('a'))) state.a = areaIndex.get(h.get('a'));
    state.u = unitIndex.has(h.get('u')) ? unitIndex.get(h.get('u')) : null;
    if (state.u !== null && UNITS.area[state.u] !== state.a) state.u = null;
  }
  function writeHash() {
    const h = new URLSearchParams();
    h.set('q', Q[state.q]);
    h.set('i', IND[state.i].id);
    h.set('a', AREAS[state.a].code);
    if (state.u !== null) h.set('u', UNITS.key[state.u]);
    const next = '#' + h.toString();
    if (location.hash !== next) history.replaceState(null, '', next);
  }
  function go(change) {
    Object.assign(state, change);
    writeHash();
    render();
    // A click that opens a lower level takes the reader (and the keyboard focus) there.
    const next = change.u !== undefined && change.u !== null ? 'matters-heading'
      : change.a !== undefined && AREAS[state.a].level === 'region' && !$('units-section').hidden ? 'units-heading' : null;
    if (next) {
      $(next).scrollIntoView({ block: 'start' });
      $(next).focus({ preventScroll: true });
    }
  }

  // ---- small DOM helpers ----
  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'onclick') e.addEventListener('click', v);
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
    return e;
  }
  // A table whose headers sort it (click or Enter on the header's button).
  function table(node, headers, rows, opts) {
    opts = opts || {};
    node.replaceChildren();
    const thead = el('thead', {}, el('tr', {}, ...headers.map((h, k) => {
      const th = el('th', { scope: 'col', class: k === 0 ? 'name' : null });
      if (opts.sortable) {
        th.append(el('button', { type: 'button', text: h, onclick: () => sortBy(k) }));
      } else th.textContent = h;
      return th;
    })));
    const tbody = el('tbody');
    const draw = (list) => {
      tbody.replaceChildren(...list.map((r) => el('tr', { class: r.cls || null, 'data-key': r.key || null },
        ...r.cells.map((c, k) => {
          const td = el('td', { class: k === 0 ? 'name' : null, 'data-value': r.sort ? r.sort[k] : null });
          td.append(c instanceof Node ? c : document.createTextNode(c));
          return td;
        }))));
    };
    let dir = {};
    function sortBy(k) {
      dir = { [k]: dir[k] === 'descending' ? 'ascending' : 'descending' };
      const sign = dir[k] === 'descending' ? -1 : 1;
      const val = (r) => (r.sort ? r.sort[k] : null);
      const fixed = rows.filter((r) => r.pinned), rest = rows.filter((r) => !r.pinned);
      rest.sort((x, y) => {
        const a = val(x), b = val(y);
        if (a === null && b === null) return 0;
        if (a === null) return 1;
        if (b === null) return -1;
        return typeof a === 'string' ? sign * a.localeCompare(b, 'zh') : sign * (a - b);
      });
      thead.querySelectorAll('th').forEach((th, j) => {
        if (j === k) th.setAttribute('aria-sort', dir[k]); else th.removeAttribute('aria-sort');
      });
      draw(rest.concat(fixed));
    }
    draw(rows);
    node.append(thead, tbody);
  }
  const link = (text, onclick, label) => el('button', { type: 'button', text, onclick, 'aria-label': label || null });
  const tag = (board) => board === 1 ? el('span', { class: 'tag red', text: '红榜' })
    : board === 2 ? el('span', { class: 'tag black', text: '黑榜' })
      : board === 3 ? el('span', { class: 'tag few', text: '样本不足' }) : null;

  // ---- charts ----
  const charts = {};
  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init($(id), null, { renderer: 'svg', locale: 'ZH' });
    }
    return charts[id];
  }
  const base = () => ({
    animation: false,
    textStyle: { fontFamily: FONT, color: '#1a1a1a' },
    aria: { enabled: true, decal: { show: false } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle: { fontFamily: FONT } },
  });

  // The area whose members are ranked: the area itself, or a district's city.
  const compared = () => AREAS[state.a].level === 'region' ? AREAS[state.a].parent : state.a;
  const memberWord = (a) => AREAS[a].level === 'province' ? '市' : '区县';
  const wholeWord = (a) => AREAS[a].level === 'province' ? '全省' : '全市';
  const qName = (q) => D.quarter_names[q];

  function render() {
    const q = state.q, ind = IND[state.i], p = compared();
    document.title = D.title;
    $('quarter').value = String(q);
    $('indicator').value = String(state.i);
    crumbs();
    ranking(q, ind, p);
    trend(ind, p);
    heat(q, p);
    unitsView(q);
    mattersView(q);
    watch(p);
    quality(p);
  }

  function crumbs() {
    const path = [];
    for (let a = state.a; a !== null; a = AREAS[a].parent) path.unshift(a);
    const nav = $('crumbs');
    nav.replaceChildren();
    path.forEach((a, k) => {
      if (k) nav.append(el('span', { class: 'sep', text: '›' }));
      nav.append(el('button', {
        type: 'button', text: AREAS[a].name, 'aria-current': a === state.a && state.u === null ? 'page' : null,
        onclick: () => go({ a, u: null }),
      }));
    });
    if (state.u !== null) {
      nav.append(el('span', { class: 'sep', text: '›' }),
        el('button', { type: 'button', text: UNITS.name[state.u], 'aria-current': 'page' }));
    }
  }

  function ranking(q, ind, p) {
    const word = memberWord(p), whole = wholeWord(p);
    const members = children[p];
    $('ranking-heading').textContent = `${qName(q)}各${word}${ind.name}排名`;
    const wr = row(q, state.i, p);
    const wholeValue = wr !== undefined ? val(wr) : null;
    const notes = [`${whole}（${AREAS[p].name}）${value(wholeValue, ind.unit)}（分子之和÷分母之和，图中黑色实线）`];
    if (ind.target !== null) notes.push(`目标${value(ind.target, ind.unit)}（图中橙色虚线）`);
    if (ind.better === 0) notes.push('此指标不排名');
    notes.push(`斜线条为未达标，橙色为当前选中；点击${word}名称查看下一级`);
    $('ranking-note').textContent = notes.join('；') + '。';
    const ranked = members.map((a) => ({ a, r: row(q, state.i, a) }));
    ranked.sort((x, y) => {
      const rx = x.r === undefined ? null : R.rank[x.r], ry = y.r === undefined ? null : R.rank[y.r];
      if (rx === null && ry === null) return AREAS[x.a].code < AREAS[y.a].code ? -1 : 1;
      if (rx === null) return 1;
      if (ry === null) return -1;
      return rx - ry || (AREAS[x.a].code < AREAS[y.a].code ? -1 : 1);
    });
    const headers = [word, '名次', ind.name, '较上季度', '目标', '是否达标', '达到目标还需', '分子', '分母'];
    const target = ind.target === null ? '—' : value(ind.target, ind.unit);
    const metWord = (r) => (r === undefined || R.met[r] === null ? '—' : R.met[r] === 1 ? '达标' : '未达标');
    const need = (r) => {
      const tt = r === undefined ? null : R.tt[r];
      if (tt === null) return '—';
      return ind.success ? '再' + ind.success.replace('{n}', count(tt)) : `还差${count(tt)}`;
    };
    const rows = ranked.map(({ a, r }) => {
      const has = r !== undefined;
      const v = has ? val(r) : null;
      const met = metWord(r);
      return {
        key: AREAS[a].code,
        cls: a === state.a ? 'current' : null,
        cells: [link(AREAS[a].name, () => go({ a, u: null }), `查看${AREAS[a].name}`),
          has && R.rank[r] !== null ? `${R.rank[r]}/${R.of[r]}` : '—', value(v, ind.unit),
          has ? change(R.qoq[r], ind.rate) : '—', target,
          met === '未达标' ? el('span', { class: 'miss', text: met }) : met, need(r),
          has ? count(R.n[r]) : '—', has ? count(R.d[r]) : '—'],
        sort: [AREAS[a].code, has ? R.rank[r] : null, v, has ? R.qoq[r] : null, null, null,
          has ? R.tt[r] : null, has ? R.n[r] : null, has ? R.d[r] : null],
      };
    });
    rows.push({
      pinned: true, cls: 'whole', cells: [`${whole}（合计）`, '', value(wholeValue, ind.unit),
        wr !== undefined ? change(R.qoq[wr], ind.rate) : '—', target, metWord(wr), need(wr),
        wr !== undefined ? count(R.n[wr]) : '—', wr !== undefined ? count(R.d[wr]) : '—'],
    });
    table($('ranking'), headers, rows, { sortable: true });

    const bars = ranked.filter((x) => x.r !== undefined && val(x.r) !== null);
    const scale = ind.unit === '%' ? 100 : 1;
    const opt = base();
    opt.grid = { left: 110, right: 90, top: 34, bottom: 44 };
    // Rates all above half start the axis near the lowest, so that differences show.
    const low = Math.min(...bars.map((x) => val(x.r) * scale), wholeValue === null ? Infinity : wholeValue * scale,
      ind.target === null ? Infinity : ind.target * scale);
    // Rates close together near the top (按期办结率 98.94%–100%) start the axis a little
    // below the lowest, so that their differences show; the note says where it starts.
    const high = Math.max(...bars.map((x) => val(x.r) * scale));
    const from = ind.unit === '%' && low > 50 && high - low < 10 ? Math.max(0, Math.floor(low - (high - low)) - 1) : 0;
    if (from > 0) $('ranking-note').textContent += `图中横轴自${from}%起。`;
    opt.xAxis = { type: 'value', min: from, max: ind.unit === '%' ? (e) => Math.min(100, Math.ceil(e.max / 5) * 5) : null, axisLabel: { formatter: (v) => ind.unit === '%' ? v + '%' : String(v) } };
    opt.yAxis = { type: 'category', inverse: true, data: bars.map((x) => AREAS[x.a].name) };
    opt.tooltip.formatter = (ps) => ps.map((s) => `${esc(s.name)}：${value(bars[s.dataIndex] ? val(bars[s.dataIndex].r) : null, ind.unit)}`).join('<br>');
    const lines = [];
    if (wholeValue !== null) lines.push({ name: whole, xAxis: wholeValue * scale, lineStyle: { color: '#000', type: 'solid', width: 2 }, label: { formatter: `${whole} ${value(wholeValue, ind.unit)}`, position: 'start' } });
    if (ind.target !== null) lines.push({ name: '目标', xAxis: ind.target * scale, lineStyle: { color: ACCENT, type: 'dashed', width: 2 }, label: { show: false } });
    opt.series = [{
      type: 'bar', name: ind.name,
      data: bars.map((x) => ({
        value: val(x.r) * scale,
        itemStyle: {
          color: x.a === state.a ? ACCENT : R.met[x.r] === 0 ? LIGHT : BLUE,
          decal: R.met[x.r] === 0 ? { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -0.785, color: 'rgba(0,0,0,0.35)' } : null,
        },
      })),
      label: { show: true, position: 'right', formatter: (s) => value(val(bars[s.dataIndex].r), ind.unit) },
      markLine: { symbol: 'none', data: lines, silent: true },
    }];
    const h = Math.max(220, 60 + bars.length * 26);
    $('ranking-chart').style.height = h + 'px';
    $('ranking-chart').setAttribute('aria-label', `${$('ranking-heading').textContent}：` +
      bars.map((x) => `${AREAS[x.a].name}${value(val(x.r), ind.unit)}`).join('，'));
    const c = chart('ranking-chart');
    c.resize();
    c.setOption(opt, true);
    c.off('click');
    c.on('click', (e) => { const x = bars[e.dataIndex]; if (x) go({ a: x.a, u: null }); });
  }

  function trend(ind, p) {
    const word = memberWord(p), whole = wholeWord(p);
    $('trend-heading').textContent = `各季度${ind.name}（${word}与${whole}）`;
    const chosen = AREAS[state.a].level === 'region' ? state.a : null;
    $('trend-note').textContent = (chosen !== null ? `${AREAS[chosen].name}以橙色粗线标出，` : '') +
      `${whole}为黑色虚线；无数据的季度留空，不连线。`;
    const scale = ind.unit === '%' ? 100 : 1;
    const series = [p, ...children[p]].map((a) => {
      const isWhole = a === p, isChosen = a === chosen;
      return {
        type: 'line', name: isWhole ? `${whole}（${AREAS[a].name}）` : AREAS[a].name, connectNulls: false,
        symbol: isWhole ? 'rect' : 'circle', symbolSize: isChosen || isWhole ? 8 : 5,
        z: isChosen ? 5 : isWhole ? 4 : 2,
        lineStyle: { width: isChosen ? 4 : isWhole ? 3 : 1.5, type: isWhole ? 'dashed' : 'solid', color: isWhole ? '#000' : isChosen ? ACCENT : chosen !== null ? GREY : undefined },
        itemStyle: isWhole ? { color: '#000' } : isChosen ? { color: ACCENT } : chosen !== null ? { color: GREY } : undefined,
        data: Q.map((_, q) => { const r = row(q, state.i, a); const v = r === undefined ? null : val(r); return v === null ? null : v * scale; }),
      };
    });
    const opt = base();
    opt.color = ['#08519c', '#3182bd', '#6baed6', '#9ecae1', '#e6550d', '#fd8d3c', '#31a354', '#74c476', '#756bb1', '#9e9ac8', '#636363', '#969696'];
    opt.grid = { left: 70, right: 150, top: 30, bottom: 40 };
    opt.legend = { type: 'scroll', orient: 'vertical', right: 0, top: 20, textStyle: { fontFamily: FONT } };
    opt.xAxis = { type: 'category', data: D.quarter_names.map((n) => n.replace('年第', '年\n第')) };
    opt.yAxis = { type: 'value', scale: true, axisLabel: { formatter: (v) => ind.unit === '%' ? v + '%' : String(v) } };
    opt.tooltip = { trigger: 'axis', textStyle: { fontFamily: FONT }, valueFormatter: (v) => v === null || v === undefined ? '无数据' : value(v / scale, ind.unit) };
    opt.series = series;
    $('trend-chart').setAttribute('aria-label', $('trend-heading').textContent);
    const c = chart('trend-chart');
    c.setOption(opt, true);
  }

  function heat(q, p) {
    const word = memberWord(p);
    const inds = IND.map((x, k) => ({ x, k })).filter((o) => o.x.headline && o.x.better !== 0);
    const members = children[p];
    $('heat-heading').textContent = `${qName(q)}各${word}主要指标对比`;
    $('heat-note').textContent = `颜色为该指标在各${word}中的名次（颜色越深名次越前），格内为指标值；空格为无数据。点击格子切换到该${word}与指标。`;
    const data = [];
    members.forEach((a, y) => inds.forEach(({ x, k }, col) => {
      const r = row(q, k, a);
      if (r === undefined || val(r) === null) return;
      const of = R.of[r], rank = R.rank[r];
      const score = rank === null || of <= 1 ? 0.5 : 1 - (rank - 1) / (of - 1);
      data.push({ value: [col, y, score], label: { color: score > 0.55 ? '#fff' : '#000', formatter: value(val(r), x.unit) }, rank, of, r });
    }));
    const opt = base();
    opt.tooltip = { trigger: 'item', textStyle: { fontFamily: FONT }, formatter: (s) => { const d = data[s.dataIndex]; const x = inds[d.value[0]].x; return `${esc(AREAS[members[d.value[1]]].name)}<br>${esc(x.name)}：${value(val(d.r), x.unit)}${d.rank !== null ? `<br>第${d.rank}名（共${d.of}个）` : ''}`; } };
    opt.grid = { left: 100, right: 20, top: 70, bottom: 20 };
    opt.xAxis = { type: 'category', position: 'top', data: inds.map((o) => o.x.short), axisLabel: { interval: 0, rotate: 0, width: 80, overflow: 'break' }, splitArea: { show: false } };
    opt.yAxis = { type: 'category', inverse: true, data: members.map((a) => AREAS[a].name) };
    opt.visualMap = { show: false, min: 0, max: 1, dimension: 2, inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] } };
    opt.series = [{ type: 'heatmap', data, label: { show: true, fontSize: 11 }, itemStyle: { borderColor: '#fff', borderWidth: 1 } }];
    $('heat-chart').style.height = Math.max(260, 100 + members.length * 30) + 'px';
    $('heat-chart').setAttribute('aria-label', $('heat-heading').textContent);
    const c = chart('heat-chart');
    c.resize();
    c.setOption(opt, true);
    c.off('click');
    c.on('click', (e) => { const d = data[e.dataIndex]; if (d) go({ a: members[d.value[1]], i: inds[d.value[0]].k, u: null }); });
  }

  // The units' indicators: the board indicators and the case volume.
  const UI = D.unit_indicators;
  const volume = UI.indexOf(indIndex.get('case_volume'));
  function unitTable(node, groups, kind, onPick) {
    const headers = [kind === 0 ? '部门' : kind === 1 ? '乡镇（街道）' : '事项', '办件量',
      ...UI.filter((_, k) => k !== volume).map((i) => IND[i].name)];
    const out = [];
    for (const g of groups) {
      const u = U.u[g];
      if (UNITS.kind[u] !== kind) continue;
      const by = {}; // unit indicator → entry
      for (let e = U.start[g]; e < U.start[g + 1]; e++) by[U.code[e] % UI.length] = e;
      const vol = by[volume] !== undefined ? U.v[by[volume]] : null;
      const name = UNITS.name[u];
      const cells = [onPick ? link(name, () => onPick(u), `查看${name}的事项`) : name, vol === null ? '—' : count(vol)];
      const sort = [name, vol];
      UI.forEach((i, k) => {
        if (k === volume) return;
        const e = by[k];
        sort.push(e === undefined ? null : U.v[e]);
        if (e === undefined || U.v[e] === null) { cells.push('—'); return; }
        const place = Math.floor(U.code[e] / UI.length), rank = place >> 2, board = place & 3;
        const span = el('span', {}, value(U.v[e], IND[i].unit));
        const t = tag(board);
        if (t) span.append(t);
        if (rank) span.setAttribute('title', `区县内第${rank}名`);
        cells.push(span);
      });
      out.push({ key: UNITS.key[u], cls: u === state.u ? 'current' : null, cells, sort });
    }
    out.sort((a, b) => (b.sort[1] || 0) - (a.sort[1] || 0));
    table(node, headers, out, { sortable: true });
    return out.length;
  }

  function unitsView(q) {
    const section = $('units-section');
    const a = state.a;
    if (AREAS[a].level !== 'region') { section.hidden = true; return; }
    section.hidden = false;
    $('units-heading').textContent = `${qName(q)}${AREAS[a].name}各部门、乡镇（街道）`;
    $('units-note').textContent = `红榜、黑榜为区县内排名前、后${D.board_rules.size}名；办件不足${D.board_rules.min_cases}件（评价类指标不足${D.board_rules.min_ratings}条）的为样本不足，不排名。点击表头排序，点击部门名称查看其事项。`;
    const groups = unitGroupsOf.get(q + '|' + a) || [];
    const box = $('units');
    box.replaceChildren();
    for (const [kind, title, id] of [[0, '部门', 'departments'], [1, '乡镇（街道）', 'townships']]) {
      const t = el('table', { class: 'data', id });
      const n = unitTable(t, groups, kind, kind === 0 ? (u) => go({ u }) : null);
      if (n) box.append(el('h3', { text: title }), t);
    }
    if (!box.children.length) box.append(el('p', { text: '本季度无部门数据。' }));
  }

  function mattersView(q) {
    const section = $('matters-section');
    if (state.u === null) { section.hidden = true; return; }
    section.hidden = false;
    const name = UNITS.name[state.u];
    $('matters-heading').textContent = `${qName(q)}${AREAS[UNITS.area[state.u]].name}${name}的事项`;
    $('matters-note').textContent = `按办件量列出前${D.matters_per_department}项事项，另列入红黑榜的事项。`;
    const groups = (unitGroupsOf.get(q + '|' + UNITS.area[state.u]) || []).filter((g) => UNITS.dept[U.u[g]] === state.u);
    const n = unitTable($('matters'), groups, 2, null);
    if (!n) table($('matters'), ['事项'], [{ cells: ['本季度该部门无事项办件。'] }]);
  }

  function watch(p) {
    const word = memberWord(p);
    const W = D.warnings;
    $('watch-heading').textContent = `预警：各${word}在办件`;
    if (!W) { $('watch-note').textContent = '预先计算的指标表不含在办件，无预警。'; $('watch').replaceChildren(); return; }
    $('watch-note').textContent = `统计截止时（${D.as_of}）仍在办的办件：${D.warning_rule}。`;
    const members = children[p];
    const rows = members.map((a) => {
      const c = W[a] || [0, 0, 0];
      return { key: AREAS[a].code, cls: a === state.a ? 'current' : null, cells: [AREAS[a].name, count(c[0]), count(c[1]), count(c[2]), count(c[0] + c[1] + c[2])], sort: [AREAS[a].code, c[0], c[1], c[2], c[0] + c[1] + c[2]] };
    });
    table($('watch'), [word, '红灯（已超期）', '黄灯（即将超期）', '绿灯', '合计'], rows, { sortable: true });
  }

  function quality(p) {
    const word = memberWord(p);
    $('quality-heading').textContent = `数据质量核查：各${word}问题数`;
    const F = D.findings;
    if (!F) { $('quality-note').textContent = '预先计算的指标表不含明细，未做数据质量核查。'; $('quality').replaceChildren(); return; }
    const shown = F.filter((f) => Object.values(f.counts).some((c) => c > 0));
    $('quality-note').textContent = shown.length ? shown.map((f) => `${f.name}：${f.rule}`).join('；') : '未发现问题。';
    const members = children[p];
    const rows = members.map((a) => ({
      key: AREAS[a].code, cls: a === state.a ? 'current' : null,
      cells: [AREAS[a].name, ...shown.map((f) => count(f.counts[a] || 0))],
      sort: [AREAS[a].code, ...shown.map((f) => f.counts[a] || 0)],
    }));
    table($('quality'), [word, ...shown.map((f) => f.name)], rows, { sortable: true });
  }

  // ---- start ----
  function controls() {
    const qs = $('quarter');
    Q.forEach((q, k) => qs.append(el('option', { value: String(k), text: D.quarter_names[k] })));
    const is = $('indicator');
    const groups = [['主要指标', IND.filter((x) => x.headline)], ['其他指标', IND.filter((x) => !x.headline)]];
    for (const [label, list] of groups) {
      if (!list.length) continue;
      const g = el('optgroup', { label });
      list.forEach((x) => g.append(el('option', { value: String(indIndex.get(x.id)), text: x.name })));
      is.append(g);
    }
    qs.addEventListener('change', () => go({ q: Number(qs.value) }));
    is.addEventListener('change', () => go({ i: Number(is.value) }));
    $('basis').textContent = D.basis;
    table($('settings'), ['项目', '设置'], D.settings.map(([k, v]) => ({ cells: [k, v] })));
    $('settings').classList.add('text');
  }
  window.addEventListener('hashchange', () => { readHash(); render(); });
  const resize = () => Object.values(charts).forEach((c) => c.resize());
  window.addEventListener('resize', resize);
  // Printing lays the page out narrower: the charts take the printed width.
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  window.matchMedia('print').addEventListener('change', resize);
  const first = IND.findIndex((x) => x.headline);
  state.i = first < 0 ? 0 : first;
  controls();
  readHash();
  // Draw once the embedded font is ready, so charts measure their text in it.
  const ready = document.fonts && document.fonts.load ? document.fonts.load('16px "PingjiaWQY"', D.title) : Promise.resolve();
  ready.catch(() => null).then(() => {
    writeHash();
    render();
    window.__pingjiaReady = performance.now();
    document.body.setAttribute('data-ready', 'true');
  });
})();
