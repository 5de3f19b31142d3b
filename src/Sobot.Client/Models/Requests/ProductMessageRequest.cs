using System.Collections.Generic;
using System.Linq;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary>
    /// <c>type: product</c>: one catalog product (<c>product_list.product_retailer_id</c>) or up to 30
    /// products in 1 to 30 titled sections. Needs a Meta catalog connected in Sobot.
    /// </summary>
    public sealed class ProductMessageRequest : InteractiveMessageRequest
    {
        public const int MaxSections = 30;
        public const int MaxProducts = 30;

        private ProductMessageRequest(string customerNumber, string customerName, string message, ProductList list, string? header, string? caption)
            : base(customerNumber, customerName, message, header, caption)
        {
            ProductList = list;
        }

        public static ProductMessageRequest Single(string customerNumber, string customerName, string message, string productRetailerId, string? caption) =>
            new ProductMessageRequest(customerNumber, customerName, message, new ProductList(productRetailerId, null), null, caption);

        public static ProductMessageRequest Multi(string customerNumber, string customerName, string message, IEnumerable<ProductSection> sections, string? header, string? caption) =>
            new ProductMessageRequest(customerNumber, customerName, message, new ProductList(null, sections.ToList()), header, caption);

        [System.Text.Json.Serialization.JsonPropertyOrder(-8)]
        public string Type => "product";

        public ProductList ProductList { get; }

        protected override string Kind => Type;

        protected override void ValidateInteractive()
        {
            if (ProductList.Sections is null)
            {
                Check.Required(ProductList.ProductRetailerId, "product_list.product_retailer_id");
                return;
            }
            Check.Count(ProductList.Sections.Count, 1, MaxSections, "product_list.sections", "sections");
            for (int i = 0; i < ProductList.Sections.Count; i++)
            {
                var section = ProductList.Sections[i];
                string at = "product_list.sections[" + i + "]";
                Check.RequiredMaxLength(section.Title, ProductSection.MaxTitleLength, at + ".title");
                Check.Count(section.ProductItems.Count, 1, MaxProducts, at + ".product_items", "products");
                for (int j = 0; j < section.ProductItems.Count; j++)
                    Check.Required(section.ProductItems[j].ProductRetailerId, at + ".product_items[" + j + "].product_retailer_id");
            }
            int products = ProductList.Sections.Sum(s => s.ProductItems.Count);
            if (products > MaxProducts)
                throw new SobotValidationException("product_list.sections", $"The message holds {products} products in total; Sobot allows at most {MaxProducts}.");
        }
    }

    public sealed class ProductList
    {
        internal ProductList(string? productRetailerId, IReadOnlyList<ProductSection>? sections)
        {
            ProductRetailerId = productRetailerId;
            Sections = sections;
        }

        public string? ProductRetailerId { get; }

        public IReadOnlyList<ProductSection>? Sections { get; }
    }

    /// <summary>A titled group (title at most 24 characters) of catalog products.</summary>
    public sealed class ProductSection
    {
        public const int MaxTitleLength = 24;

        public ProductSection(string title, IEnumerable<string> productRetailerIds)
        {
            Title = title;
            ProductItems = productRetailerIds.Select(id => new ProductItem(id)).ToList();
        }

        public string Title { get; }

        public IReadOnlyList<ProductItem> ProductItems { get; }

        public override string ToString() => Title + " (" + ProductItems.Count + " products)";
    }

    public sealed class ProductItem
    {
        public ProductItem(string productRetailerId) => ProductRetailerId = productRetailerId;

        public string ProductRetailerId { get; }
    }
}
