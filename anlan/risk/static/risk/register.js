// The risk register's pages (no inline script: CSP-friendly):
// - the assess form shows only the inputs of the chosen method (LEC or LS); htmx draws the live preview;
// - the enterprise's four-colour map: its site plan as a Leaflet image overlay (CRS.Simple), a coloured marker
//   per placed point; a click on the plan opens the new-point form at that place, or places a listed point;
// - the county map: enterprises as circles in the colour of their highest level (tiles only if configured).
(function () {
  "use strict";

  var COLOURS = { red: "#d62728", orange: "#fd7e14", yellow: "#ffc107", blue: "#1f77b4", grey: "#adb5bd" };

  function data() {
    var element = document.getElementById("risk-map-data");
    return element ? JSON.parse(element.textContent) : null;
  }

  // ------------------------------------------------------------ assess form

  function assessForm(form) {
    function show() {
      var checked = form.querySelector("input[name=method]:checked");
      var method = checked ? checked.value : "lec";
      form.querySelectorAll("[data-method]").forEach(function (group) {
        group.hidden = group.dataset.method !== method;
      });
    }
    form.addEventListener("change", show);
    show();
  }

  // ------------------------------------------------------------ the enterprise's plan

  function round(value) {
    return Math.round(Math.min(Math.max(value, 0), 1) * 10000) / 10000;
  }

  function planMap(element, info) {
    if (!info.image || !info.width || !info.height) return;
    var map = window.L.map(element, {
      crs: window.L.CRS.Simple,
      minZoom: -4,
      maxZoom: 3,
      attributionControl: false,
      zoomSnap: 0.25,
    });
    var bounds = [
      [0, 0],
      [info.height, info.width],
    ];
    window.L.imageOverlay(info.image, bounds).addTo(map);
    map.fitBounds(bounds);
    map.setMaxBounds(window.L.latLngBounds(bounds).pad(0.2));
    info.markers.forEach(function (m) {
      var icon = window.L.divIcon({
        className: "risk-plan-marker risk-" + m.colour,
        iconSize: [20, 20],
        html: "",
      });
      var marker = window.L.marker([(1 - m.y) * info.height, m.x * info.width], {
        icon: icon,
        title: m.name + " · " + m.label,
        keyboard: true,
      }).addTo(map);
      var node = marker.getElement();
      node.setAttribute("data-testid", "plan-marker");
      node.setAttribute("data-level", m.level);
      node.setAttribute("data-colour", m.colour);
      node.style.background = COLOURS[m.colour] || COLOURS.grey;
      marker.bindTooltip(m.name + "（" + m.label + "）");
      marker.on("click", function () {
        window.location.href = m.url;
      });
    });
    var placing = null;
    var hint = document.querySelector("[data-risk-hint]");
    document.querySelectorAll("[data-place-url]").forEach(function (button) {
      button.addEventListener("click", function () {
        placing = button.dataset.placeUrl;
        document.body.classList.add("risk-placing");
        if (hint) hint.textContent = element.dataset.placing.replace("%(name)s", button.dataset.placeName);
        element.focus();
      });
    });
    map.on("click", function (event) {
      var x = round(event.latlng.lng / info.width);
      var y = round(1 - event.latlng.lat / info.height);
      if (event.latlng.lng < 0 || event.latlng.lng > info.width) return;
      if (event.latlng.lat < 0 || event.latlng.lat > info.height) return;
      if (placing) {
        var form = document.getElementById("place-form");
        form.action = placing;
        form.elements.x.value = x;
        form.elements.y.value = y;
        form.submit();
        return;
      }
      if (info.create) window.location.href = info.create + "?x=" + x + "&y=" + y;
    });
  }

  // ------------------------------------------------------------ the county

  function countyMap(element, info) {
    var map = window.L.map(element, { attributionControl: false });
    if (info.tiles) window.L.tileLayer(info.tiles, { maxZoom: 18 }).addTo(map);
    var order = { low: 0, general: 1, significant: 2, major: 3 };
    var rows = info.enterprises.slice().sort(function (a, b) {
      return order[a.level] - order[b.level]; // the most severe drawn last, on top
    });
    // The view first: a vector layer has its element only once the map has a view.
    if (rows.length) {
      map.fitBounds(
        rows.map(function (e) {
          return [e.lat, e.lon];
        }),
        { padding: [24, 24], maxZoom: 14 }
      );
    } else {
      map.setView([32.45, 118.43], 10);
    }
    rows.forEach(function (e) {
      var circle = window.L.circleMarker([e.lat, e.lon], {
        radius: e.level === "major" ? 9 : 7,
        color: "#fff",
        weight: 1.5,
        fillColor: COLOURS[e.colour],
        fillOpacity: 0.9,
      }).addTo(map);
      circle.bindTooltip(e.name + "（" + e.label + "）");
      circle.on("click", function () {
        window.location.href = e.url;
      });
      var path = circle.getElement();
      if (path) {
        path.setAttribute("data-testid", "county-marker");
        path.setAttribute("data-level", e.level);
        path.setAttribute("data-enterprise", e.id);
      }
    });
  }

  document.querySelectorAll("[data-risk-assess]").forEach(assessForm);
  var info = data();
  document.querySelectorAll("[data-risk-plan-map]").forEach(function (element) {
    planMap(element, info);
  });
  document.querySelectorAll("[data-risk-county-map]").forEach(function (element) {
    countyMap(element, info);
  });
})();
