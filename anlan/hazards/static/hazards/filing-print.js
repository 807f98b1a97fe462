// 打印: the button prints the page (its print style leaves the 统计分析表 alone).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
