// Type-ahead pickers (core/pickers.py): a <select data-picker> holding only the chosen option becomes a
// tom-select that asks data-search-url?q=… as the user types. The server filters (the user's scope) and ranks;
// nothing is filtered or re-sorted here. Runs on page load and on every fragment htmx swaps in.
(function () {
  "use strict";

  function setUp(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var url = select.dataset.searchUrl;
    var noResults = select.dataset.noResults || "";
    var plugins = select.required ? [] : ["clear_button"];
    var answered = new Set(); // the values the server answered for the text typed last
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      plugins: plugins,
      maxOptions: 20,
      loadThrottle: 250,
      placeholder: select.dataset.placeholder,
      // Show exactly what the server answered, in its order (prefix matches first): the chosen option stays
      // loaded but is not offered for a text the server did not match it with.
      score: function () {
        return function (item) {
          return answered.has(String(item.value)) ? 1 : 0;
        };
      },
      shouldLoad: function (query) {
        return query.trim().length >= 1;
      },
      load: function (query, callback) {
        var self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            self.clearOptions(); // drop the previous query's choices (the chosen one stays)
            answered = new Set(
              data.results.map(function (result) {
                return String(result.value);
              })
            );
            callback(data.results);
          })
          .catch(function () {
            answered = new Set();
            callback();
          });
      },
      render: {
        option: function (item, escape) {
          var detail = item.uscc ? item.uscc + " · " + item.region : "";
          return (
            '<div class="picker-option"><div>' + escape(item.name || item.text) + "</div>" +
            (detail ? '<div class="small text-body-secondary">' + escape(detail) + "</div>" : "") +
            "</div>"
          );
        },
        item: function (item, escape) {
          return "<div>" + escape(item.text) + "</div>";
        },
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(noResults) + "</div>";
        },
      },
    });
  }

  function setUpAll(root) {
    if (root && root.querySelectorAll) {
      root.querySelectorAll("select[data-picker]").forEach(setUp);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.detail.elt);
  });
})();
