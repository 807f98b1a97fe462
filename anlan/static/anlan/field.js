// Field use on a phone (docs/user-guide in docs/operations.md, "Service worker" and "Field forms"):
// - the service worker is registered; the form pages it keeps are dropped when another user signs in (only
//   other users' pages); a form page it did not keep (opened before it took control) asks it to keep it;
// - a report form (data-draft) keeps a draft in this browser, per user: text fields in localStorage, photos in
//   IndexedDB; the draft is restored after a reload, queued when the network is down at submit, and sent when
//   it returns (with a fresh CSRF token from the form page); it is removed once the server accepted it;
// - the photos input gets a camera button and a preview; longitude/latitude get 使用当前位置 and a map.
// Every message shown comes from the page (data-* attributes rendered with gettext).
(function () {
  "use strict";

  var body = document.body;
  var user = body.dataset.user || "";
  var PAGES = "anlan-pages";
  var OWNER = "anlan-pages-owner";
  var OWNER_HEADER = "X-Anlan-Owner"; // core.pwa.OWNER_HEADER
  var SENT = "anlan-draft-sent";
  var DB = "anlan-drafts";

  function storage(kind) {
    try {
      var s = window[kind];
      s.getItem("x");
      return s;
    } catch (e) {
      return null;
    }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");

  // ------------------------------------------------------------ service worker and kept pages

  function registerWorker() {
    var url = body.dataset.serviceWorker;
    if (url && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {});
    }
  }

  // The worker keeps the report forms under their path for offline use, each naming its user (OWNER_HEADER); a
  // page seen by another user (or by nobody: signed out) drops the others' pages, so a shared phone never shows
  // one user's page to the next.
  function forgetOtherUsersPages() {
    if (!local || !window.caches) return;
    if ((local.getItem(OWNER) || "") === user) return;
    if (navigator.serviceWorker) {
      // Through the worker, which keeps the pages: when one controls this page, or once one is active.
      var worker = navigator.serviceWorker.controller;
      var forget = { type: "forget-pages", user: user };
      if (worker) worker.postMessage(forget);
      else
        navigator.serviceWorker.ready.then(function (registration) {
          registration.active.postMessage(forget);
        });
    } else caches.delete(PAGES);
    if (user) local.setItem(OWNER, user);
    else local.removeItem(OWNER);
  }

  // The worker keeps a report form as it serves it. One opened before a worker controlled the page (the
  // phone's first visit, a worker still installing) asks the worker to keep it once one does.
  function keepThisForm() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    var path = location.pathname;
    var asked = false;
    function check() {
      var worker = navigator.serviceWorker.controller;
      if (!worker || asked) return;
      caches
        .open(PAGES)
        .then(function (cache) {
          return cache.match(path);
        })
        .then(function (kept) {
          if ((kept && kept.headers.get(OWNER_HEADER) === user) || asked) return;
          asked = true;
          worker.postMessage({ type: "keep-page", path: path });
        });
    }
    check();
    navigator.serviceWorker.addEventListener("controllerchange", check);
  }

  function showKeptForms() {
    if (!window.caches) return;
    document.querySelectorAll("[data-offline-link]").forEach(function (item) {
      caches
        .open(PAGES)
        .then(function (cache) {
          return cache.match(item.dataset.offlineLink);
        })
        .then(function (kept) {
          if (kept) item.hidden = false;
        });
    });
  }

  // ------------------------------------------------------------ photos of a draft (IndexedDB)

  function database() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("no IndexedDB"));
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("photos");
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function photoStore(mode, action) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("photos", mode);
        var request = action(tx.objectStore("photos"));
        tx.oncomplete = function () {
          db.close();
          resolve(request && request.result);
        };
        tx.onerror = tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  function forgetDraft(key) {
    if (local) local.removeItem(key);
    return photoStore("readwrite", function (store) {
      return store.delete(key);
    }).catch(function () {});
  }

  // After the form was posted, the page the server redirected to (a detail page, reached from the form)
  // means the draft was accepted: forget it. Back on the form itself means it was refused (errors shown).
  function settleSentDraft() {
    if (!session) return null;
    var sent = JSON.parse(session.getItem(SENT) || "null");
    if (!sent) return null;
    session.removeItem(SENT);
    var from = "";
    try {
      from = new URL(document.referrer).pathname;
    } catch (e) {
      from = "";
    }
    if (location.pathname !== sent.path && from === sent.path && Date.now() - sent.at < 10 * 60 * 1000) {
      forgetDraft(sent.key);
      return null;
    }
    return sent;
  }

  // ------------------------------------------------------------ the camera button and the preview

  function photoKit(form, onChange) {
    var main = form.querySelector("input[type=file][name=photos]");
    var kit = form.querySelector("[data-photo-kit]");
    if (!main || !kit || typeof DataTransfer === "undefined") return null;
    var camera = kit.querySelector("[data-camera]");
    var preview = kit.querySelector("[data-photo-preview]");
    var files = [];
    main.parentNode.appendChild(kit);
    kit.hidden = false;

    function render() {
      preview.querySelectorAll("img").forEach(function (img) {
        URL.revokeObjectURL(img.src);
      });
      preview.textContent = "";
      files.forEach(function (file, index) {
        var item = document.createElement("div");
        item.className = "photo-thumb";
        var img = document.createElement("img");
        img.className = "img-thumbnail";
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-light py-0 px-1";
        remove.setAttribute("aria-label", kit.dataset.removeLabel + " " + file.name);
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          set(files.slice(0, index).concat(files.slice(index + 1)), true);
        });
        item.appendChild(img);
        item.appendChild(remove);
        preview.appendChild(item);
      });
    }

    function set(list, changed) {
      files = list;
      var transfer = new DataTransfer();
      files.forEach(function (file) {
        transfer.items.add(file);
      });
      main.files = transfer.files;
      render();
      if (changed) onChange(files);
    }

    main.addEventListener("change", function (event) {
      event.stopPropagation(); // the draft saves photos through onChange, not as a text field
      set(files.concat(Array.prototype.slice.call(main.files)), true);
    });
    camera.addEventListener("change", function (event) {
      event.stopPropagation();
      set(files.concat(Array.prototype.slice.call(camera.files)), true);
      camera.value = "";
    });
    return {
      files: function () {
        return files;
      },
      restore: function (list) {
        set(list, false);
      },
    };
  }

  // ------------------------------------------------------------ where: 使用当前位置 and the map

  var CHINA = { west: 73, east: 136, south: 3, north: 54 }; // hazards/rules.py, check_coordinates

  function pin() {
    return window.L.divIcon({ className: "field-pin", iconSize: [22, 22] });
  }

  function baseMap(element, interactive) {
    var map = window.L.map(element, {
      attributionControl: false,
      dragging: interactive,
      scrollWheelZoom: interactive,
      touchZoom: interactive,
      doubleClickZoom: interactive,
    });
    if (element.dataset.tiles) window.L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
    return map;
  }

  function locationKit(form) {
    var longitude = form.elements.longitude;
    var latitude = form.elements.latitude;
    var kit = form.querySelector("[data-location-kit]");
    if (!longitude || !latitude || !kit) return null;
    var column = latitude.closest(".col-12") || latitude.parentNode;
    var wrapper = document.createElement("div");
    wrapper.className = "col-12";
    column.parentNode.insertBefore(wrapper, column.nextSibling);
    wrapper.appendChild(kit);
    kit.classList.remove("mt-3");
    kit.hidden = false;
    var status = kit.querySelector("[data-locate-status]");
    var map = null;
    var marker = null;

    function say(text, style) {
      status.textContent = text;
      status.className = "small mt-1 text-" + (style || "body");
    }

    function point() {
      var lon = parseFloat(longitude.value);
      var lat = parseFloat(latitude.value);
      return isFinite(lon) && isFinite(lat) ? [lat, lon] : null;
    }

    function fill(lat, lon) {
      longitude.value = lon.toFixed(6);
      latitude.value = lat.toFixed(6);
      longitude.dispatchEvent(new Event("input", { bubbles: true }));
      latitude.dispatchEvent(new Event("input", { bubbles: true }));
      show(true);
    }

    function show(pan) {
      if (!map) return;
      var at = point();
      if (!at) {
        if (marker) {
          map.removeLayer(marker);
          marker = null;
        }
        return;
      }
      if (!marker) {
        marker = window.L.marker(at, { draggable: true, icon: pin(), keyboard: false }).addTo(map);
        marker.getElement().setAttribute("data-testid", "map-point");
        marker.on("dragend", function () {
          var moved = marker.getLatLng();
          fill(moved.lat, moved.lng);
        });
      } else {
        marker.setLatLng(at);
      }
      if (pan) map.setView(at, Math.max(map.getZoom() || 0, 16));
    }

    if (window.L) {
      var element = kit.querySelector("[data-map]");
      map = baseMap(element, true);
      var at = point();
      map.setView(at || [32.45, 118.43], at ? 16 : 12);
      map.on("click", function (event) {
        fill(event.latlng.lat, event.latlng.lng);
      });
      show(false);
    }
    [longitude, latitude].forEach(function (input) {
      input.addEventListener("change", function () {
        show(true);
      });
    });

    kit.querySelector("[data-locate]").addEventListener("click", function () {
      if (!navigator.geolocation || !window.isSecureContext) {
        say(kit.dataset.unsupported, "danger");
        return;
      }
      say(kit.dataset.locating, "muted");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var lat = position.coords.latitude;
          var lon = position.coords.longitude;
          if (lon < CHINA.west || lon > CHINA.east || lat < CHINA.south || lat > CHINA.north) {
            say(kit.dataset.outside, "danger");
            return;
          }
          fill(lat, lon);
          say(kit.dataset.located.replace("%(metres)s", Math.round(position.coords.accuracy)), "success");
        },
        function (error) {
          var text = { 1: kit.dataset.denied, 2: kit.dataset.unavailable, 3: kit.dataset.timeout };
          say(text[error.code] || kit.dataset.unavailable, "danger");
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
    return {
      refresh: function () {
        show(true);
      },
    };
  }

  function pointMaps() {
    if (!window.L) return;
    document.querySelectorAll("[data-point-map]").forEach(function (element) {
      var at = [parseFloat(element.dataset.latitude), parseFloat(element.dataset.longitude)];
      var map = baseMap(element, false);
      map.setView(at, 16);
      window.L.marker(at, { icon: pin(), keyboard: false }).addTo(map);
    });
  }

  // ------------------------------------------------------------ the draft of a report form

  function fieldValues(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
        else values[el.name] = values[el.name] || [];
      } else if (el.type === "select-multiple") {
        values[el.name] = Array.prototype.filter
          .call(el.options, function (o) {
            return o.selected;
          })
          .map(function (o) {
            return o.value;
          });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function putValues(form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in values) || el.type === "file" || el.name === "csrfmiddlewaretoken") return;
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") el.checked = value.indexOf(el.value) !== -1;
      else if (el.type === "select-multiple")
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = value.indexOf(o.value) !== -1;
        });
      else el.value = value;
    });
  }

  function draftForm(form) {
    var key = "anlan-draft:" + form.dataset.draftUser + ":" + form.dataset.draft;
    var kit = form.querySelector("[data-draft-kit]");
    var text = kit.querySelector("[data-draft-text]");
    var sendButton = kit.querySelector("[data-draft-send]");
    var photosKept = true;
    var timer = null;
    var sending = false;
    var photos = photoKit(form, function (files) {
      savePhotos(files);
      save();
    });
    var where = locationKit(form);

    function read() {
      return local ? JSON.parse(local.getItem(key) || "null") : null;
    }

    function write(draft) {
      if (local) local.setItem(key, JSON.stringify(draft));
    }

    function save(queued) {
      var old = read() || {};
      var draft = {
        values: fieldValues(form),
        savedAt: new Date().toISOString(),
        queued: queued === undefined ? !!old.queued : queued,
        photos: photos ? photos.files().length : 0,
      };
      write(draft);
      return draft;
    }

    function savePhotos(files) {
      return photoStore("readwrite", function (store) {
        return store.put(files, key);
      }).then(
        function () {
          photosKept = true;
        },
        function () {
          photosKept = false;
        },
      );
    }

    function tell(message, style, offerSend) {
      kit.hidden = false;
      kit.className = "alert alert-" + style + " mt-0 mb-3";
      var extra = "";
      if (photos && photos.files().length) extra = " " + (photosKept ? kit.dataset.photosKept : kit.dataset.noPhotos);
      text.textContent = message + extra;
      sendButton.hidden = !offerSend;
    }

    function queue() {
      save(true);
      sending = false;
      tell(kit.dataset.queued, "warning", true);
    }

    // Post the form as the browser would, with a CSRF token fetched just now (the page may have been opened
    // from the worker's copy, its token old): the server answers with its redirect or with the errors.
    function send() {
      if (sending) return;
      sending = true;
      save();
      if (navigator.onLine === false) return queue();
      fetch(location.pathname + location.search, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.redirected && response.url.indexOf("/accounts/login/") !== -1) return "login";
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          if (html === "login") {
            sending = false;
            save(true);
            tell(kit.dataset.expired, "danger", false);
            return;
          }
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector("input[name=csrfmiddlewaretoken]");
          if (fresh) form.elements.csrfmiddlewaretoken.value = fresh.value;
          save(false);
          if (session) session.setItem(SENT, JSON.stringify({ key: key, path: location.pathname, at: Date.now() }));
          HTMLFormElement.prototype.submit.call(form);
        })
        .catch(queue);
    }

    var returned = settleSentDraft();
    var draft = read();
    if (draft) {
      putValues(form, draft.values || {});
      if (where) where.refresh();
      var restoring = photos
        ? photoStore("readonly", function (store) {
            return store.get(key);
          }).then(
            function (files) {
              if (files && files.length) photos.restore(files);
              else if (draft.photos) photosKept = false;
            },
            function () {
              photosKept = !draft.photos;
            },
          )
        : Promise.resolve();
      restoring.then(function () {
        if (returned) return; // the server's errors are on the page; the draft stays until it is accepted
        if (draft.queued) {
          tell(navigator.onLine === false ? kit.dataset.queued : kit.dataset.pending, "warning", true);
        } else {
          var time = new Date(draft.savedAt).toLocaleString();
          tell(kit.dataset.restored.replace("%(time)s", time), "info", false);
        }
      });
    }

    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    });
    form.addEventListener("change", function () {
      save();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send();
    });
    sendButton.addEventListener("click", send);
    kit.querySelector("[data-draft-discard]").addEventListener("click", function () {
      forgetDraft(key).then(function () {
        location.replace(location.pathname + location.search);
      });
    });
    window.addEventListener("online", function () {
      var current = read();
      if (current && current.queued) {
        tell(kit.dataset.sending, "info", false);
        send();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (body.hasAttribute("data-offline-page")) {
      showKeptForms();
      return;
    }
    forgetOtherUsersPages();
    registerWorker();
    var drafted = document.querySelector("form[data-draft]");
    if (drafted) {
      keepThisForm();
      draftForm(drafted);
    } else settleSentDraft();
    document.querySelectorAll("form:not([data-draft])").forEach(function (form) {
      photoKit(form, function () {});
      locationKit(form);
    });
    pointMaps();
  });
})();
